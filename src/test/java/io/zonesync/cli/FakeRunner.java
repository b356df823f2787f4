package io.zonesync.cli;

import io.zonesync.core.CoreModule;
import io.zonesync.config.Arity;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Context;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.config.ParsedConfig;
import io.zonesync.log.Severity;
import io.zonesync.node.Node;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node that only records what it was asked and logs it at notice. It knows the core directives,
 * an opaque {@code http {}} block, {@code fail_reload;}, which makes a reload fail inside the node,
 * {@code fake_warning TEXT;}, a warning each time the configuration is checked (as a real
 * node's check and start both compile the configuration), and {@code fake_unopenable PATH;}, a
 * file that {@code -t} fails to open after the syntax check.
 */
final class FakeRunner implements NodeRunner {
    private static final Logger LOG = LoggerFactory.getLogger("fake.node");
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile IOException startFailure;
    /** Whether quit() waits until stop() is called, like a node whose requests never finish. */
    volatile boolean quitHangs;
    /** Runs inside start(), as a node binds its listeners. */
    volatile Runnable whileStarting = () -> { };

    @Override
    public Node.FileCheck check(ParsedConfig config) throws ConfigException {
        DirectiveRegistry registry = new DirectiveRegistry();
        registry.registerAll(new CoreModule(), r -> {
            r.register(DirectiveSpec.block("http", Arity.NONE, Context.OPAQUE, false, Context.MAIN));
            r.register(DirectiveSpec.single("fail_reload", Arity.NONE, Context.MAIN));
            r.register(DirectiveSpec.repeatable("fake_warning", Arity.exactly(1), Context.MAIN));
            r.register(DirectiveSpec.single("fake_unopenable", Arity.exactly(1), Context.MAIN));
        });
        registry.validate(config.root());
        config.root().all("fake_warning").forEach(d -> LOG.warn("{} in {}", d.arg(0), d.where()));
        List<String> unopenable = config.root().all("fake_unopenable").stream().map(d -> d.arg(0)).toList();
        return () -> {
            for (String path : unopenable) {
                throw new ConfigException("open() \"" + path + "\" failed (2: No such file or directory)", null);
            }
        };
    }

    @Override
    public RunningNode start(ParsedConfig config) throws ConfigException, IOException {
        check(config);
        if (startFailure != null) {
            throw startFailure;
        }
        whileStarting.run();
        calls.add("start");
        Severity.NOTICE.log(LOG, "fake node started");
        return new FakeNode();
    }

    @Override
    public List<String> moduleNames() {
        return List.of("ngx_http_rewrite_module", "ngx_http_ssl_module", "ngx_stream_access_module",
                "ngx_stream_module");
    }

    private final class FakeNode implements RunningNode {
        private final CountDownLatch stopped = new CountDownLatch(1);

        @Override
        public void reload(ParsedConfig config) throws ConfigException {
            if (config.root().has("fail_reload")) {
                throw config.root().first("fail_reload").error("the fake node refuses this reload");
            }
            calls.add("reload");
            Severity.NOTICE.log(LOG, "fake node reloaded");
        }

        @Override
        public void quit() {
            calls.add("quit");
            Severity.NOTICE.log(LOG, "fake node quit");
            if (quitHangs) {
                try {
                    stopped.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            stopped.countDown();
        }

        @Override
        public void stop() {
            calls.add("stop");
            Severity.NOTICE.log(LOG, "fake node stopped");
            stopped.countDown();
        }

        @Override
        public void reopenLogs() {
            calls.add("reopen");
        }

        @Override
        public void awaitTermination() throws InterruptedException {
            stopped.await();
        }
    }
}
