package io.zonesync.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.ParsedConfig;
import io.zonesync.log.ErrorLogTarget;
import io.zonesync.log.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoreSettingsTest {
    @TempDir
    Path dir;

    private ParsedConfig config(String text) throws Exception {
        Path file = dir.resolve("z.conf");
        Files.writeString(file, text);
        ParsedConfig config = ConfigParser.parseFile(file, dir, null);
        DirectiveRegistry registry = new DirectiveRegistry();
        registry.registerAll(new CoreModule());
        registry.validate(config.root());
        return config;
    }

    private CoreSettings settings(String text) throws Exception {
        return CoreSettings.from(config(text));
    }

    /** Settings of a configuration whose other blocks (http, stream) are not checked here. */
    private CoreSettings unvalidated(String text) throws Exception {
        Path file = dir.resolve("z.conf");
        Files.writeString(file, text);
        return CoreSettings.from(ConfigParser.parseFile(file, dir, null));
    }

    @Test
    void defaultsAreNginxs() throws Exception {
        CoreSettings s = settings("");
        assertThat(s.daemon()).isFalse();
        assertThat(s.workerProcesses()).isEqualTo(1);
        assertThat(s.pidFile()).isEqualTo(dir.resolve("logs/zonesync.pid"));
        assertThat(s.errorLogs()).containsExactly(ErrorLogTarget.file(dir.resolve("logs/error.log"), Severity.ERROR));
        assertThat(s.workerConnections()).isEqualTo(512);
        assertThat(s.shutdownTimeoutMs()).isZero();
        assertThat(s.notes()).isEmpty();
    }

    @Test
    void theDefaultErrorLogCanComeFromDashE() throws Exception {
        CoreSettings s = CoreSettings.from(config(""), ErrorLogTarget.stderr(Severity.ERROR));
        assertThat(s.errorLogs()).containsExactly(ErrorLogTarget.stderr(Severity.ERROR));
    }

    @Test
    void debianNginxConfMainPartIsAccepted() throws Exception {
        CoreSettings s = settings("""
                user www-data;
                worker_processes auto;
                pid /run/zonesync-test.pid;
                error_log /var/log/nginx/error.log;
                env TZ;
                pcre_jit on;
                master_process on;
                worker_rlimit_nofile 8192;
                worker_shutdown_timeout 10s;
                thread_pool default threads=4 max_queue=100;
                events {
                    worker_connections 768;
                    multi_accept on;
                    use epoll;
                    accept_mutex off;
                }
                """);
        assertThat(s.workerProcesses()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(s.pidFile()).isEqualTo(Path.of("/run/zonesync-test.pid"));
        assertThat(s.errorLogs()).containsExactly(ErrorLogTarget.file(Path.of("/var/log/nginx/error.log"),
                Severity.ERROR));
        assertThat(s.workerConnections()).isEqualTo(768);
        assertThat(s.rlimitNofile()).isEqualTo(8192);
        assertThat(s.shutdownTimeoutMs()).isEqualTo(10_000);
        assertThat(s.notes()).extracting(CoreSettings.Note::message).containsExactly(
                "\"user\" directive is ignored: zonesync keeps the user that started it ("
                        + System.getProperty("user.name") + "), set the user in the service manager in "
                        + dir.resolve("z.conf") + ":1");
    }

    @Test
    void daemonOnIsANoticeNotAnError() throws Exception {
        CoreSettings s = settings("daemon on;");
        assertThat(s.daemon()).isTrue();
        assertThat(s.notes()).singleElement().satisfies(n -> {
            assertThat(n.severity()).isEqualTo(Severity.NOTICE);
            assertThat(n.message()).startsWith("\"daemon on\" is ignored: zonesync always runs in the foreground")
                    .endsWith("z.conf:1");
        });
    }

    @Test
    void severalErrorLogsWithTheirLevels() throws Exception {
        CoreSettings s = settings("error_log logs/a.log info;\nerror_log stderr;");
        assertThat(s.errorLogs()).containsExactly(ErrorLogTarget.file(dir.resolve("logs/a.log"), Severity.INFO),
                ErrorLogTarget.stderr(Severity.ERROR));
    }

    @Test
    void errorLogsOfStreamAreCheckedAndSaidToGoToTheMainLog() throws Exception {
        Files.createDirectories(dir.resolve("logs"));
        CoreSettings s = unvalidated("stream {\n error_log logs/stream.log warn;\n server {\n  listen 1;\n"
                + "  error_log logs/s.log;\n }\n}\nhttp { server { error_log logs/site.log; } }\n");
        assertThat(s.errorLogs()).hasSize(1);
        assertThat(s.notes()).extracting(CoreSettings.Note::message).containsExactly(
                "\"error_log\" in stream is not kept apart: zonesync writes the lines of its sessions"
                        + " to the main error log in " + dir.resolve("z.conf") + ":2",
                "\"error_log\" in stream is not kept apart: zonesync writes the lines of its sessions"
                        + " to the main error log in " + dir.resolve("z.conf") + ":5");
        // opened (created) as nginx opens them at -t and start; one that cannot be is an error at its line
        assertThat(dir.resolve("logs/stream.log")).exists();
        assertThat(dir.resolve("logs/s.log")).exists();
        assertThatThrownBy(() -> unvalidated("stream { server { error_log nodir/x.log; } }"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("open() \"" + dir.resolve("nodir/x.log") + "\" failed (2: No such file or directory) in "
                        + dir.resolve("z.conf") + ":1");
        assertThatThrownBy(() -> unvalidated("stream { server { error_log logs/x.log loud; } }"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("invalid log level \"loud\"")
                .hasMessageEndingWith(" in " + dir.resolve("z.conf") + ":1");
    }

    @Test
    void badValuesNameTheValueAndTheLine() {
        String f = dir.resolve("z.conf").toString();
        assertError("worker_processes many;", "invalid value \"many\" in \"worker_processes\" directive in " + f + ":1");
        assertError("worker_processes 0;", "invalid value \"0\" in \"worker_processes\" directive in " + f + ":1");
        assertError("daemon yes;",
                "invalid value \"yes\" in \"daemon\" directive, it must be \"on\" or \"off\" in " + f + ":1");
        assertError("events {\n use kqueue;\n}",
                "invalid event type \"kqueue\", it must be one of epoll, poll, select in " + f + ":2");
        assertError("events { worker_connections lots; }",
                "invalid value \"lots\" in \"worker_connections\" directive in " + f + ":1");
        assertError("worker_shutdown_timeout soon;",
                "invalid value \"soon\" in \"worker_shutdown_timeout\" directive in " + f + ":1");
        assertError("\nload_module modules/ngx_http_geoip_module.so;",
                "\"load_module\" of \"modules/ngx_http_geoip_module.so\": zonesync has no such module, and loads"
                        + " none; its modules are built in (\"zonesync -V\" lists them) in " + f + ":2");
    }

    @Test
    void loadingAModuleZonesyncHasBuiltInIsAWarning() throws Exception {
        CoreSettings s = settings("load_module /usr/lib/nginx/modules/ngx_stream_module.so;");
        assertThat(s.notes()).singleElement().satisfies(n -> {
            assertThat(n.severity()).isEqualTo(Severity.WARN);
            assertThat(n.message()).isEqualTo("\"load_module\" of \"/usr/lib/nginx/modules/ngx_stream_module.so\" is"
                    + " ignored: zonesync has ngx_stream_module built in, in " + dir.resolve("z.conf") + ":1");
        });
    }

    @Test
    void placementAndArityAreTheRegistrysJob() {
        String f = dir.resolve("z.conf").toString();
        assertThatThrownBy(() -> config("events { pid x; }"))
                .hasMessage("\"pid\" directive is not allowed here in " + f + ":1");
        assertThatThrownBy(() -> config("worker_connections 5;"))
                .hasMessage("\"worker_connections\" directive is not allowed here in " + f + ":1");
        assertThatThrownBy(() -> config("pid a b;"))
                .hasMessage("invalid number of arguments in \"pid\" directive in " + f + ":1");
        assertThatThrownBy(() -> config("pid a;\npid b;"))
                .hasMessage("\"pid\" directive is duplicate in " + f + ":2");
    }

    private void assertError(String text, String message) {
        assertThatThrownBy(() -> settings(text)).isInstanceOf(ConfigException.class).hasMessage(message);
    }
}
