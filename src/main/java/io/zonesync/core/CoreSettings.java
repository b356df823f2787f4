package io.zonesync.core;

import io.zonesync.config.Block;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.ParsedConfig;
import io.zonesync.config.Values;
import io.zonesync.log.ErrorLogTarget;
import io.zonesync.log.Severity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The values of the directives {@link CoreModule} registers, checked, with nginx's defaults.
 *
 * @param daemon              {@code daemon on} was asked for (zonesync stays in the foreground anyway)
 * @param workerProcesses     event loop threads: the number given, or the processors for {@code auto}; default 1
 * @param pidFile             absolute; default {@code logs/zonesync.pid} under the prefix
 * @param errorLogs           the main context's {@code error_log}s, else the default one
 * @param workerConnections   {@code events { worker_connections }}; default 512
 * @param rlimitNofile        {@code worker_rlimit_nofile}: the open file limit to set at start; 0 when not set
 * @param shutdownTimeoutMs   {@code worker_shutdown_timeout}; 0 (the default) waits as long as it takes
 * @param notes               what to log at start about directives that have no effect here
 */
public record CoreSettings(boolean daemon, int workerProcesses, Path pidFile, List<ErrorLogTarget> errorLogs,
        int workerConnections, int rlimitNofile, long shutdownTimeoutMs, List<Note> notes) {

    public static final String DEFAULT_PID = "logs/zonesync.pid";
    public static final String DEFAULT_ERROR_LOG = "logs/error.log";
    static final int DEFAULT_WORKER_CONNECTIONS = 512;
    private static final Set<String> EVENT_METHODS = Set.of("epoll", "poll", "select");
    /** The dynamic modules of nginx builds (Debian's among them) that zonesync has built in. */
    private static final Set<String> BUILT_IN_DYNAMIC_MODULES = Set.of("ngx_stream_module");
    private static final Set<String> WITHOUT_EFFECT =
            Set.of("worker_priority", "worker_cpu_affinity", "timer_resolution");

    public CoreSettings {
        errorLogs = List.copyOf(errorLogs);
        notes = List.copyOf(notes);
    }

    /** A message to log once at start. */
    public record Note(Severity severity, String message) {
    }

    /** Reads the settings; without an {@code error_log}, logs go to {@code logs/error.log} at {@code error}. */
    public static CoreSettings from(ParsedConfig config) throws ConfigException {
        return from(config, ErrorLogTarget.of(DEFAULT_ERROR_LOG, config.prefix(), Severity.ERROR));
    }

    /** Reads the settings; {@code defaultLog} applies when the main context has no {@code error_log} ({@code -e}). */
    public static CoreSettings from(ParsedConfig config, ErrorLogTarget defaultLog) throws ConfigException {
        Block root = config.root();
        List<Note> notes = new ArrayList<>();
        for (Directive d : root.all("load_module")) {
            String module = moduleName(d.arg(0));
            if (!BUILT_IN_DYNAMIC_MODULES.contains(module)) {
                throw d.error("\"load_module\" of \"%s\": zonesync has no such module, and loads none; its"
                        + " modules are built in (\"zonesync -V\" lists them)", d.arg(0));
            }
            notes.add(new Note(Severity.WARN, "\"load_module\" of \"" + d.arg(0) + "\" is ignored: zonesync has "
                    + module + " built in, in " + d.where()));
        }
        boolean daemon = flag(root, "daemon", false);
        flag(root, "master_process", true);
        flag(root, "pcre_jit", false);
        if (daemon) {
            notes.add(new Note(Severity.NOTICE, "\"daemon on\" is ignored: zonesync always runs in the foreground,"
                    + " start it from a service manager such as systemd in " + root.first("daemon").where()));
        }
        int workers = workerProcesses(root.first("worker_processes"));
        Directive pid = root.first("pid");
        Path pidFile = config.resolve(pid == null ? DEFAULT_PID : pid.arg(0));
        List<ErrorLogTarget> logs = new ArrayList<>();
        for (Directive d : root.all("error_log")) {
            logs.add(ErrorLogTarget.parse(d, config::resolve));
        }
        if (logs.isEmpty()) {
            logs.add(defaultLog);
        }
        for (Directive stream : root.all("stream")) {
            noteInnerErrorLogs(stream.block(), config::resolve, notes);
        }
        Directive timeout = root.first("worker_shutdown_timeout");
        long shutdownMs = timeout == null ? 0 : Values.timeMs(timeout, timeout.arg(0));
        Directive user = root.first("user");
        if (user != null) {
            notes.add(new Note(Severity.WARN, "\"user\" directive is ignored: zonesync keeps the user that started it ("
                    + System.getProperty("user.name") + "), set the user in the service manager in " + user.where()));
        }
        for (Directive d : root.directives()) {
            if (WITHOUT_EFFECT.contains(d.name())) {
                checkWithoutEffect(d);
                notes.add(new Note(Severity.NOTICE, "\"" + d.name() + "\" directive has no effect in zonesync in "
                        + d.where()));
            }
        }
        int connections = events(root.first("events"));
        Directive nofile = root.first("worker_rlimit_nofile");
        int rlimit = nofile == null ? 0 : Values.positiveInt(nofile, nofile.arg(0));
        return new CoreSettings(daemon, workers, pidFile, logs, connections, rlimit, shutdownMs, notes);
    }

    /** {@code modules/ngx_stream_module.so} is {@code ngx_stream_module}. */
    private static String moduleName(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        return file.endsWith(".so") ? file.substring(0, file.length() - 3) : file;
    }

    private static boolean flag(Block block, String name, boolean dflt) throws ConfigException {
        Directive d = block.first(name);
        return d == null ? dflt : Values.flag(d);
    }

    private static int workerProcesses(Directive d) throws ConfigException {
        if (d == null) {
            return 1;
        }
        if (d.arg(0).equals("auto")) {
            return Runtime.getRuntime().availableProcessors();
        }
        return Values.positiveInt(d, d.arg(0));
    }

    /**
     * {@code error_log} inside stream or its servers: checked as the main one is (and its file
     * opened, as nginx opens it at {@code -t} and start), and said at start that their lines go to
     * the main error log(s), not to a log of their level as in nginx (http's are kept apart:
     * {@code io.zonesync.log.ErrorLogRoute}).
     */
    private static void noteInnerErrorLogs(Block block, Function<String, Path> resolve, List<Note> notes)
            throws ConfigException {
        for (Directive d : block.directives()) {
            if (d.name().equals("error_log")) {
                ErrorLogTarget.parse(d, resolve).probe(d);
                notes.add(new Note(Severity.NOTICE, "\"error_log\" in stream is not kept apart:"
                        + " zonesync writes the lines of its sessions to the main error log in " + d.where()));
            } else if (d.hasBlock()) {
                noteInnerErrorLogs(d.block(), resolve, notes);
            }
        }
    }

    private static void checkWithoutEffect(Directive d) throws ConfigException {
        if (d.name().equals("timer_resolution")) {
            Values.timeMs(d, d.arg(0));
        }
    }

    private static int events(Directive events) throws ConfigException {
        if (events == null) {
            return DEFAULT_WORKER_CONNECTIONS;
        }
        Block block = events.block();
        Directive use = block.first("use");
        if (use != null && !EVENT_METHODS.contains(use.arg(0))) {
            throw use.error("invalid event type \"%s\", it must be one of epoll, poll, select", use.arg(0));
        }
        flag(block, "multi_accept", false);
        flag(block, "accept_mutex", false);
        Directive delay = block.first("accept_mutex_delay");
        if (delay != null) {
            Values.timeMs(delay, delay.arg(0));
        }
        Directive connections = block.first("worker_connections");
        return connections == null ? DEFAULT_WORKER_CONNECTIONS : Values.positiveInt(connections, connections.arg(0));
    }
}
