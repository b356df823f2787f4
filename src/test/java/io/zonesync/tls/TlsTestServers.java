package io.zonesync.tls;

import io.zonesync.config.Block;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.Context;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.Scope;
import io.zonesync.config.SourceLocation;
import io.zonesync.stream.StreamCoreModule;
import io.zonesync.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;

/** The TLS of a stream server compiled from a few directives, with a certificate of a test CA in {@code dir}. */
final class TlsTestServers {
    private TlsTestServers() {
    }

    /** {@code node.pem}/{@code node.key} (issued by {@code pki} when not there yet) plus {@code directives}. */
    static ServerTls stream(Path dir, TestPki pki, String directives) {
        try {
            if (!Files.exists(dir.resolve("node.pem"))) {
                TestPki.writePair(pki.issue("node", "127.0.0.1"), dir.resolve("node.pem"), dir.resolve("node.key"));
            }
            String body = "ssl_certificate node.pem; ssl_certificate_key node.key; " + directives;
            Block root = ConfigParser.parseString("stream { server {\n" + body + "\n} }\n", "test.conf");
            DirectiveRegistry r = new DirectiveRegistry();
            r.registerAll(new StreamCoreModule(), new TlsModule());
            r.validate(root);
            Scope stream = Scope.root(root).child(Context.STREAM, root.first("stream").block());
            Scope server = stream.child(Context.STREAM_SERVER, stream.block().first("server").block());
            return ServerTls.compile(server, new SourceLocation("test.conf", 1), dir);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** As above, with a CA of its own. */
    static ServerTls stream(Path dir, String directives) {
        return stream(dir, TestPki.ca("test-servers-ca"), directives);
    }
}
