package io.zonesync.core;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.Context;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import java.util.EnumSet;
import java.util.List;

/**
 * The main-context directives of a copied nginx.conf, and {@code events {}}. Their values are read
 * by {@link CoreSettings}. What they do in zonesync:
 * <ul>
 * <li>{@code daemon}: accepted, but zonesync always stays in the foreground (run it under systemd
 *     or another supervisor); {@code daemon on} logs a notice at start;</li>
 * <li>{@code worker_processes N|auto}: the number of event loop threads;</li>
 * <li>{@code pid FILE}, {@code error_log FILE|stderr [level]} (also in http, server, location,
 *     stream and stream server blocks);</li>
 * <li>{@code worker_shutdown_timeout TIME}: how long a graceful stop (QUIT) may take before it
 *     turns into a fast one;</li>
 * <li>{@code events { worker_connections N; use epoll|poll|select; multi_accept; accept_mutex;
 *     accept_mutex_delay; }}: worker_connections limits the node's connections (see
 *     {@link io.zonesync.net.ConnectionLimit}), the others are checked and have no effect;</li>
 * <li>{@code worker_rlimit_nofile N}: the open file limit the node sets for itself at start and
 *     on reload (see {@link FileLimit});</li>
 * <li>{@code user}, {@code worker_priority}, {@code worker_cpu_affinity}, {@code timer_resolution}:
 *     checked, no effect, a notice at start says so;</li>
 * <li>{@code master_process}, {@code env}, {@code pcre_jit}, {@code thread_pool}: harmless, accepted
 *     silently;</li>
 * <li>{@code load_module}: a warning when it names a module zonesync has built in
 * ({@code ngx_stream_module}), an error otherwise.</li>
 * </ul>
 */
public final class CoreModule implements ConfModule {
    /** Where {@code error_log} may stand, as in nginx. */
    static final EnumSet<Context> ERROR_LOG_CONTEXTS = EnumSet.of(Context.MAIN, Context.HTTP, Context.HTTP_SERVER,
            Context.HTTP_LOCATION, Context.STREAM, Context.STREAM_SERVER);

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_core_module", "ngx_events_module", "ngx_epoll_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        Context main = Context.MAIN;
        r.register(DirectiveSpec.single("daemon", Arity.FLAG, main));
        r.register(DirectiveSpec.single("master_process", Arity.FLAG, main));
        r.register(DirectiveSpec.single("worker_processes", Arity.exactly(1), main));
        r.register(DirectiveSpec.single("pid", Arity.exactly(1), main));
        r.register(new DirectiveSpec("error_log", ERROR_LOG_CONTEXTS, Arity.between(1, 2), null, true));
        r.register(DirectiveSpec.single("worker_shutdown_timeout", Arity.exactly(1), main));
        r.register(DirectiveSpec.single("user", Arity.between(1, 2), main));
        r.register(DirectiveSpec.single("worker_rlimit_nofile", Arity.exactly(1), main));
        r.register(DirectiveSpec.single("worker_priority", Arity.exactly(1), main));
        r.register(DirectiveSpec.single("worker_cpu_affinity", Arity.atLeast(1), main));
        r.register(DirectiveSpec.single("timer_resolution", Arity.exactly(1), main));
        r.register(DirectiveSpec.repeatable("env", Arity.exactly(1), main));
        r.register(DirectiveSpec.single("pcre_jit", Arity.FLAG, main));
        r.register(DirectiveSpec.repeatable("thread_pool", Arity.between(2, 3), main));
        r.register(DirectiveSpec.repeatable("load_module", Arity.exactly(1), main));
        r.register(DirectiveSpec.block("events", Arity.NONE, Context.EVENTS, false, main));
        r.register(DirectiveSpec.single("worker_connections", Arity.exactly(1), Context.EVENTS));
        r.register(DirectiveSpec.single("use", Arity.exactly(1), Context.EVENTS));
        r.register(DirectiveSpec.single("multi_accept", Arity.FLAG, Context.EVENTS));
        r.register(DirectiveSpec.single("accept_mutex", Arity.FLAG, Context.EVENTS));
        r.register(DirectiveSpec.single("accept_mutex_delay", Arity.exactly(1), Context.EVENTS));
    }
}
