package io.zonesync.stream;

import io.zonesync.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.stream.Collectors;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS backend for stream tests on 127.0.0.1, port 0, with a certificate of {@code pki} for
 * {@code name}: greets each connection with {@code SNI=<the server name the client sent>:} and
 * echoes what it reads.
 */
public final class TlsEchoServer implements AutoCloseable {
    private final SSLServerSocket socket;

    public TlsEchoServer(TestPki pki, String name) throws Exception {
        TestPki.Issued leaf = pki.issue(name, name);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "pw".toCharArray();
        ks.setKeyEntry("leaf", leaf.keys().getPrivate(), pw, new Certificate[] {leaf.cert(), pki.ca.cert()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        socket = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(this::acceptLoop, "tls-echo");
        t.setDaemon(true);
        t.start();
    }

    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                SSLSocket s = (SSLSocket) socket.accept();
                Thread t = new Thread(() -> serve(s), "tls-echo-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void serve(SSLSocket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            s.startHandshake();
            String sni = ((ExtendedSSLSession) s.getSession()).getRequestedServerNames().stream()
                    .map(n -> ((SNIHostName) n).getAsciiName()).collect(Collectors.joining(","));
            out.write(("SNI=" + sni + ":").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away or the handshake failed
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
