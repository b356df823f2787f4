package io.zonesync.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/**
 * Certificates made at test time: a CA, certificates it issues (any names, any validity window,
 * RSA or EC keys), CRLs, all written as PEM files the way OpenSSL writes them. Never committed.
 */
public final class TestPki {
    private static final Provider BC = new BouncyCastleProvider();
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    /** A key pair with its certificate. */
    public record Issued(X509Certificate cert, KeyPair keys) {
    }

    public final Issued ca;
    private final String name;
    private final List<BigInteger> revoked = new ArrayList<>();

    private TestPki(String name, Issued ca) {
        this.name = name;
        this.ca = ca;
    }

    /** A self-signed CA named {@code CN=name}. */
    public static TestPki ca(String name) {
        KeyPair keys = rsa();
        Instant now = Instant.now();
        return new TestPki(name, new Issued(build(new X500Name("CN=" + name), keys, new X500Name("CN=" + name),
                keys.getPrivate(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), true, List.of()), keys));
    }

    public static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A leaf for these names (DNS names, or IP addresses when they look like one), valid now. */
    public Issued issue(String cn, String... names) {
        Instant now = Instant.now();
        return issue(rsa(), cn, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(10)), names);
    }

    public Issued issue(KeyPair keys, String cn, Instant notBefore, Instant notAfter, String... names) {
        List<GeneralName> sans = new ArrayList<>();
        for (String n : names) {
            sans.add(new GeneralName(n.matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName, n));
        }
        return new Issued(build(new X500Name("CN=" + cn), keys, new X500Name("CN=" + name), ca.keys().getPrivate(),
                notBefore, notAfter, false, sans), keys);
    }

    public void revoke(Issued leaf) {
        revoked.add(leaf.cert().getSerialNumber());
    }

    private static X509Certificate build(X500Name subject, KeyPair keys, X500Name issuer, PrivateKey signer,
            Instant notBefore, Instant notAfter, boolean isCa, List<GeneralName> sans) {
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(notBefore), Date.from(notAfter), subject,
                    keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (isCa) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            }
            if (!sans.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(sans.toArray(new GeneralName[0])));
            }
            return new JcaX509CertificateConverter().getCertificate(b.build(signer(signer)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ContentSigner signer(PrivateKey key) throws Exception {
        return new JcaContentSignerBuilder(key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA")
                .build(key);
    }

    // ---- JDK TLS ---------------------------------------------------------------------------

    /** Trust managers that trust {@code ca} alone, for a JDK TLS client or server. */
    public static TrustManager[] trusting(Certificate ca) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            return tmf.getTrustManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Key managers presenting {@code leaf} (under the alias "me"), for a JDK TLS client or server. */
    public static KeyManager[] presenting(Issued leaf) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("me", leaf.keys().getPrivate(), "pw".toCharArray(), new Certificate[] {leaf.cert()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "pw".toCharArray());
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- files ----------------------------------------------------------------------------

    public static Path write(Path file, Object... pemObjects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : pemObjects) {
                if (o instanceof PemObjectGenerator g) {
                    w.writeObject(g);
                } else {
                    w.writeObject(o);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, out.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The CA certificate as a PEM file. */
    public Path writeCa(Path file) {
        return write(file, ca.cert());
    }

    /** cert.pem (leaf first) and key.pem (PKCS#8, or PKCS#1/SEC1 with {@code traditional}) in {@code dir}. */
    public static void writePair(Issued leaf, Path cert, Path key) {
        write(cert, leaf.cert());
        try {
            write(key, new JcaPKCS8Generator(leaf.keys().getPrivate(), null).generate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key as PKCS#1 ("RSA PRIVATE KEY") or SEC1 ("EC PRIVATE KEY"), as {@code openssl genrsa} used to. */
    public static Path writeTraditionalKey(Issued leaf, Path key, String password) {
        if (password == null && leaf.keys().getPrivate() instanceof ECPrivateKey ec) {
            // as OpenSSL writes it: the named curve in the [0] parameters
            try {
                byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, ec.getS(), null,
                        SECObjectIdentifiers.secp256r1).getEncoded();
                return write(key, new PemObject("EC PRIVATE KEY", sec1));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (password == null) {
            return write(key, leaf.keys());
        }
        try {
            return write(key, new JcaMiscPEMGenerator(leaf.keys(),
                    new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(BC).build(password.toCharArray())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The key as encrypted PKCS#8 (PBES2, AES-256-CBC), as {@code openssl pkcs8 -topk8 -v2 aes256}. */
    public static Path writeEncryptedKey(Issued leaf, Path key, String password) {
        try {
            var enc = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC).setProvider(BC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setPassword(password.toCharArray()).build();
            return write(key, new JcaPKCS8Generator(leaf.keys().getPrivate(), enc).generate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CRL of this CA listing every certificate {@link #revoke}d so far. */
    public Path writeCrl(Path file) {
        try {
            Instant now = Instant.now();
            X509v2CRLBuilder b = new X509v2CRLBuilder(new X500Name("CN=" + name), Date.from(now.minusSeconds(60)));
            b.setNextUpdate(Date.from(now.plus(Duration.ofDays(7))));
            for (BigInteger serial : revoked) {
                b.addCRLEntry(serial, Date.from(now.minusSeconds(30)), CRLReason.keyCompromise);
            }
            return write(file, new JcaX509CRLConverter().getCRL(b.build(signer(ca.keys().getPrivate()))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
