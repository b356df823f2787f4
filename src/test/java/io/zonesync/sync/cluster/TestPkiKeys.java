package io.zonesync.sync.cluster;

import java.io.FileReader;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Reads back the PEM files TestPki wrote, for the benchmark's own TLS client. */
final class TestPkiKeys {
    private TestPkiKeys() {
    }

    static PrivateKey key(Path file) throws Exception {
        try (PEMParser p = new PEMParser(new FileReader(file.toFile()))) {
            return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) p.readObject());
        }
    }

    static X509Certificate[] certs(Path file) throws Exception {
        List<X509Certificate> out = new ArrayList<>();
        try (PEMParser p = new PEMParser(new FileReader(file.toFile()))) {
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                out.add(new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) o));
            }
        }
        return out.toArray(new X509Certificate[0]);
    }
}
