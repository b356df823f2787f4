package io.zonesync.tls;

import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads the certificate, key, CRL, passphrase and session ticket key files a TLS configuration names, relative paths
 * against the directory of the main configuration file (nginx's conf prefix), each error a
 * {@link ConfigException} naming the file and the directive's FILE:LINE. Everything read also goes
 * into a digest, so a reload can tell whether any file changed.
 */
final class TlsFiles {
    private final Path confDir;
    private final MessageDigest digest;

    TlsFiles(Path confDir) {
        this.confDir = confDir;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the runtime", e);
        }
    }

    /** Adds the directive's arguments to the digest (settings that are not files). */
    void note(Directive d) {
        if (d != null) {
            digest.update((d.name() + " " + String.join(" ", d.args()) + ";").getBytes(StandardCharsets.UTF_8));
        }
    }

    String fingerprint() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    Path path(String arg) {
        Path p = Path.of(arg);
        return p.isAbsolute() || confDir == null ? p : confDir.resolve(p).normalize();
    }

    private byte[] read(Directive d, Path p, String what) throws ConfigException {
        try {
            byte[] b = Files.readAllBytes(p);
            digest.update(p.toString().getBytes(StandardCharsets.UTF_8));
            digest.update(b);
            return b;
        } catch (NoSuchFileException e) {
            throw d.error("cannot load %s \"%s\": no such file", what, p);
        } catch (IOException e) {
            throw d.error("cannot load %s \"%s\": %s", what, p, e.getMessage());
        }
    }

    private List<PemBlock> pem(Directive d, Path p, String what) throws ConfigException {
        try {
            return PemBlock.parseAll(read(d, p, what));
        } catch (IllegalArgumentException e) {
            throw d.error("cannot load %s \"%s\": %s", what, p, e.getMessage());
        }
    }

    /** The certificates of {@code d.arg(0)} in file order (leaf first); none is an error. */
    List<X509Certificate> certificates(Directive d, String what) throws ConfigException {
        Path p = path(d.arg(0));
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            for (PemBlock b : pem(d, p, what)) {
                if (b.type().equals("CERTIFICATE") || b.type().equals("TRUSTED CERTIFICATE")) {
                    out.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (CertificateException e) {
            throw d.error("cannot load %s \"%s\": %s", what, p, e.getMessage());
        }
        if (out.isEmpty()) {
            throw d.error("cannot load %s \"%s\": no PEM certificate in it", what, p);
        }
        return out;
    }

    List<X509CRL> crls(Directive d) throws ConfigException {
        Path p = path(d.arg(0));
        List<X509CRL> out = new ArrayList<>();
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            for (PemBlock b : pem(d, p, "CRL")) {
                if (b.type().equals("X509 CRL")) {
                    out.add((X509CRL) f.generateCRL(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (CertificateException | CRLException e) {
            throw d.error("cannot load CRL \"%s\": %s", p, e.getMessage());
        }
        if (out.isEmpty()) {
            throw d.error("cannot load CRL \"%s\": no PEM \"X509 CRL\" in it", p);
        }
        return out;
    }

    /**
     * Checks an {@code ssl_dhparam} file as nginx reads it: readable and holding PEM DH parameters.
     * The parameters are not used (the TLS provider offers its standard groups).
     */
    void dhParameters(Directive d) throws ConfigException {
        Path p = path(d.arg(0));
        for (PemBlock b : pem(d, p, "DH parameters")) {
            if (b.type().equals("DH PARAMETERS") || b.type().equals("X9.42 DH PARAMETERS")) {
                return;
            }
        }
        throw d.error("cannot load DH parameters \"%s\": no PEM \"DH PARAMETERS\" in it", p);
    }

    /**
     * The key of an {@code ssl_session_ticket_key} file: 48 bytes, a name, an AES-128 key and an
     * HMAC key, in nginx's layout. nginx also takes 80 bytes (AES-256); BoringSSL's ticket keys are
     * AES-128 only, so such a file is an error here.
     */
    OpenSslSessionTicketKey ticketKey(Directive d) throws ConfigException {
        Path p = path(d.arg(0));
        byte[] b = read(d, p, "session ticket key");
        if (b.length == 80) {
            throw d.error("\"%s\" is an 80-byte (AES-256) session ticket key, which zonesync's TLS library does"
                    + " not take; use a 48-byte key (openssl rand 48 > file)", p);
        }
        if (b.length != 48) {
            throw d.error("\"%s\" must be 48 or 80 bytes", p);
        }
        return new OpenSslSessionTicketKey(Arrays.copyOfRange(b, 0, 16), Arrays.copyOfRange(b, 32, 48),
                Arrays.copyOfRange(b, 16, 32));
    }

    /** The passphrases of an {@code ssl_password_file}, one per line, empty lines skipped. */
    List<char[]> passphrases(Directive d) throws ConfigException {
        if (d == null) {
            return List.of();
        }
        Path p = path(d.arg(0));
        List<char[]> out = new ArrayList<>();
        for (String line : new String(read(d, p, "password file"), StandardCharsets.UTF_8).split("\\r?\\n")) {
            if (!line.isEmpty()) {
                out.add(line.toCharArray());
            }
        }
        if (out.isEmpty()) {
            throw d.error("password file \"%s\" holds no passphrase", p);
        }
        return out;
    }

    /**
     * The private key of {@code keyDirective.arg(0)}, unlocked with the passphrases of
     * {@code passwordFile} (may be null) tried in turn.
     */
    PrivateKey key(Directive keyDirective, Directive passwordFile) throws ConfigException {
        Path p = path(keyDirective.arg(0));
        List<char[]> passphrases = passphrases(passwordFile);
        PemBlock block = null;
        for (PemBlock b : pem(keyDirective, p, "certificate key")) {
            if (b.isPrivateKey()) {
                block = b;
                break;
            }
        }
        if (block == null) {
            throw keyDirective.error("cannot load certificate key \"%s\": no PEM private key in it", p);
        }
        try {
            return PrivateKeyReader.read(block, passphrases);
        } catch (PrivateKeyReader.KeyException e) {
            if (e.wrongPassphrase && passwordFile != null) {
                throw keyDirective.error("cannot load certificate key \"%s\": none of the %d passphrases in \"%s\""
                        + " (%s) unlocks it", p, passphrases.size(), path(passwordFile.arg(0)), passwordFile.where());
            }
            throw keyDirective.error("cannot load certificate key \"%s\": %s", p, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw keyDirective.error("cannot load certificate key \"%s\": %s", p, e.getMessage());
        }
    }
}
