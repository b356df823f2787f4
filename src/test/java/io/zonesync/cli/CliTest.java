package io.zonesync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.Version;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's modes and messages, with a fake node; the run mode is in {@link RunLoopTest}. */
class CliTest {
    @TempDir
    Path prefix;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<String> sent = new ArrayList<>();
    private IOException sendFailure;
    private Path conf;

    @BeforeEach
    void defaultConfiguration() throws IOException {
        conf = prefix.resolve("conf/zonesync.conf");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, "worker_processes 2;\nhttp {\n}\n");
    }

    private int run(String... args) {
        SignalSender sender = (pid, signal) -> {
            if (sendFailure != null) {
                throw sendFailure;
            }
            sent.add(pid + " " + signal.signalName());
        };
        Cli cli = new Cli(new FakeRunner(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), sender, prefix, OptionalLong.empty(),
                sink -> {
                    throw new AssertionError("not a run test");
                });
        return cli.run(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theModulesMinusVReportsAreTheOnesBuiltIn() {
        List<String> modules = new NodeBackedRunner().moduleNames();
        assertThat(modules).contains("ngx_http_rewrite_module", "ngx_http_proxy_module", "ngx_http_limit_req_module",
                "ngx_http_keyval_module", "ngx_http_api_module", "ngx_stream_zone_sync_module", "ngx_http_ssl_module",
                "ngx_stream_module", "ngx_http_gzip_module", "ngx_http_map_module", "ngx_http_try_files_module",
                "ngx_http_geo_module", "ngx_http_split_clients_module", "ngx_http_realip_module",
                "ngx_http_auth_request_module", "ngx_http_mirror_module", "ngx_http_autoindex_module", "ngx_http_sub_module",
                "ngx_http_limit_conn_module", "ngx_http_stub_status_module", "ngx_http_upstream_hash_module",
                "ngx_http_auth_jwt_module", "ngx_http_ssi_module", "ngx_http_v2_module", "ngx_stream_proxy_module",
                "ngx_stream_upstream_module", "ngx_stream_upstream_hash_module", "ngx_stream_map_module",
                "ngx_stream_return_module", "ngx_stream_set_module", "ngx_stream_limit_conn_module",
                "ngx_stream_log_module", "ngx_stream_geo_module", "ngx_stream_split_clients_module",
                "ngx_stream_ssl_preread_module")
                .doesNotContain("ngx_http_memcached_module");
        String args = Usage.configureArguments(Set.copyOf(modules));
        assertThat(args).contains("--with-http_ssl_module", "--with-http_v2_module", "--with-http_realip_module",
                "--with-http_auth_request_module",
                "--with-stream", "--with-stream_ssl_module", "--with-stream_ssl_preread_module",
                "--with-http_stub_status_module", "--without-http_memcached_module")
                .doesNotContain("--without-http_ssi_module", "--without-http_rewrite_module", "--without-http_proxy_module",
                        "--without-http_limit_conn_module", "--without-http_upstream_least_conn_module",
                        "--without-http_gzip_module", "--without-http_map_module", "--without-http_mirror_module",
                        "--without-http_limit_req_module", "--without-stream_access_module",
                        "--without-stream_limit_conn_module", "--without-stream_map_module",
                        "--without-stream_return_module", "--without-stream_set_module",
                        "--without-stream_upstream_hash_module", "--without-stream_geo_module",
                        "--without-stream_split_clients_module");
    }

    @Test
    void versionHelpAndBuildInfoGoToStderr() {
        assertThat(run("-v")).isZero();
        assertThat(err()).isEqualTo("zonesync version: zonesync/" + Version.NUMBER + "\n");
        err.reset();
        assertThat(run("-V")).isZero();
        assertThat(err()).startsWith("zonesync version: zonesync/" + Version.NUMBER + "\nbuilt with Java 17")
                .contains("\nTLS SNI support enabled\nconfigure arguments: --with-http_ssl_module --with-stream"
                        + " --without-stream_limit_conn_module --without-stream_geo_module")
                .contains(" --without-http_gzip_module").doesNotContain("--without-http_rewrite_module")
                .doesNotContain("--without-stream_access_module")
                .contains("\nmodules: ngx_http_rewrite_module ngx_http_ssl_module ngx_stream_access_module"
                        + " ngx_stream_module\n")
                .endsWith("\n").contains("libraries: netty 4.");
        err.reset();
        assertThat(run("-?")).isZero();
        assertThat(err()).startsWith("zonesync version: zonesync/" + Version.NUMBER + "\nUsage: zonesync [-?hvVtTq] [-s signal]")
                .contains("(default: " + prefix + "/)");
        assertThat(out()).isEmpty();
        assertThat(prefix.resolve("logs")).doesNotExist();
    }

    @Test
    void badOptionsExitOneWithNginxsMessage() {
        assertThat(run("-x")).isEqualTo(1);
        assertThat(err()).isEqualTo("zonesync: invalid option: \"x\"\n");
        err.reset();
        assertThat(run("-s", "restart")).isEqualTo(1);
        assertThat(err()).isEqualTo("zonesync: invalid option: \"-s restart\"\n");
    }

    @Test
    void testSucceeds() {
        assertThat(run("-t")).isZero();
        assertThat(err()).isEqualTo("zonesync: the configuration file " + conf + " syntax is ok\n"
                + "zonesync: configuration file " + conf + " test is successful\n");
        assertThat(prefix.resolve("logs/error.log")).exists();
    }

    @Test
    void versionThenTestWhenBothAreAsked() {
        assertThat(run("-v", "-t")).isZero();
        assertThat(err()).startsWith("zonesync version: ").contains("test is successful");
    }

    @Test
    void testFailsWithFileAndLine() throws IOException {
        Files.writeString(conf, "worker_processes 1;\nfoo bar;\n");
        assertThat(run("-t")).isEqualTo(1);
        assertThat(err()).isEqualTo("zonesync: [emerg] unknown directive \"foo\" in " + conf + ":2\n"
                + "zonesync: configuration file " + conf + " test failed\n");
        assertThat(Files.readString(prefix.resolve("logs/error.log")))
                .contains("[emerg] ", "unknown directive \"foo\" in " + conf + ":2");
    }

    @Test
    void quietTestPrintsOnlyErrors() throws IOException {
        assertThat(run("-tq")).isZero();
        assertThat(err()).isEmpty();
        Files.writeString(conf, "daemon maybe;\n");
        assertThat(run("-q", "-t")).isEqualTo(1);
        assertThat(err()).isEqualTo("zonesync: [emerg] invalid value \"maybe\" in \"daemon\" directive, it must be"
                + " \"on\" or \"off\" in " + conf + ":1\n" + "zonesync: configuration file " + conf + " test failed\n");
    }

    @Test
    void dumpPrintsEveryFileReadAfterTheTest() throws IOException {
        Path inc = prefix.resolve("conf/events.conf");
        Files.writeString(inc, "events { worker_connections 10; }");
        Files.writeString(conf, "include events.conf;\nhttp {}\n");
        assertThat(run("-T")).isZero();
        assertThat(err()).contains("test is successful");
        assertThat(out()).isEqualTo("# configuration file " + conf + ":\ninclude events.conf;\nhttp {}\n\n"
                + "# configuration file " + inc + ":\nevents { worker_connections 10; }\n");
    }

    @Test
    void dumpIsNotPrintedWhenTheTestFails() throws IOException {
        Files.writeString(conf, "http {\n");
        assertThat(run("-T")).isEqualTo(1);
        assertThat(out()).isEmpty();
        assertThat(err()).isEqualTo("zonesync: [emerg] unexpected end of file, expecting \"}\" in " + conf + ":2\n"
                + "zonesync: configuration file " + conf + " test failed\n");
    }

    @Test
    void missingConfigurationFile() throws IOException {
        Files.delete(conf);
        assertThat(run("-t")).isEqualTo(1);
        assertThat(err()).isEqualTo("zonesync: [emerg] open() \"" + conf + "\" failed (2: No such file or directory)\n"
                + "zonesync: configuration file " + conf + " test failed\n");
    }

    @Test
    void anUnopenableErrorLogFailsTheTestAfterTheSyntaxCheck() throws IOException {
        Files.writeString(conf, "error_log nowhere/e.log;\n");
        assertThat(run("-t")).isEqualTo(1);
        Path log = prefix.resolve("nowhere/e.log");
        assertThat(err()).isEqualTo("zonesync: the configuration file " + conf + " syntax is ok\n"
                + "zonesync: [emerg] open() \"" + log + "\" failed (2: No such file or directory)\n"
                + "zonesync: configuration file " + conf + " test failed\n");
    }

    @Test
    void aFileTheNodeCannotOpenFailsTheTestAfterTheSyntaxCheck() throws IOException {
        // as nginx -t with an access_log in a missing directory: syntax ok, then the open error
        Files.writeString(conf, "fake_unopenable /nowhere/a.log;\n");
        assertThat(run("-t")).isEqualTo(1);
        assertThat(err()).isEqualTo("zonesync: the configuration file " + conf + " syntax is ok\n"
                + "zonesync: [emerg] open() \"/nowhere/a.log\" failed (2: No such file or directory)\n"
                + "zonesync: configuration file " + conf + " test failed\n");
    }

    @Test
    void relativeDashCAndDashEResolveAgainstThePrefix() throws IOException {
        Path other = Files.writeString(prefix.resolve("other.conf"), "bad_directive;\n");
        Path elsewhere = Files.createTempDirectory(prefix, "p");
        Files.move(other, elsewhere.resolve("other.conf"));
        assertThat(run("-p", elsewhere.toString(), "-c", "other.conf", "-e", "startup.log", "-t")).isEqualTo(1);
        assertThat(err()).contains("unknown directive \"bad_directive\" in " + elsewhere.resolve("other.conf") + ":1");
        assertThat(Files.readString(elsewhere.resolve("startup.log"))).contains("[emerg] ");
    }

    @Test
    void dashEStderrWritesFullLinesOnce() throws IOException {
        Files.writeString(conf, "foo;\n");
        assertThat(run("-e", "stderr", "-t")).isEqualTo(1);
        assertThat(err()).matches("(?s)\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[emerg\\] \\d+#\\d+: unknown directive"
                + " \"foo\" in .*:1\nzonesync: configuration file .* test failed\n");
        assertThat(prefix.resolve("logs")).doesNotExist();
    }

    @Test
    void dashGDirectivesComeFromTheCommandLine() throws IOException {
        assertThat(run("-g", "worker_processes 3;", "-t")).isEqualTo(1);
        assertThat(err()).startsWith("zonesync: [emerg] \"worker_processes\" directive is duplicate in " + conf + ":1");
        err.reset();
        Files.writeString(conf, "http {}\n");
        assertThat(run("-g", "worker_processes many;", "-t")).isEqualTo(1);
        assertThat(err()).startsWith("zonesync: [emerg] invalid value \"many\" in \"worker_processes\" directive in"
                + " command line\n");
        err.reset();
        assertThat(run("-g", "pid x.pid;", "-t")).isZero();
    }

    @Test
    void anUnopenableStartupLogIsAnAlertAndStderrTakesOver() throws IOException {
        Files.writeString(conf, "error_log stderr;\n"); // else -e is also the default error_log, and fails the test
        assertThat(run("-e", "missing/dir/e.log", "-t")).isZero();
        assertThat(err()).startsWith("zonesync: [alert] could not open error log file: open() \""
                + prefix.resolve("missing/dir/e.log") + "\" failed (2: No such file or directory)\n");
    }

    @Test
    void signalReadsThePidFileNamedByTheConfiguration() throws IOException {
        Files.writeString(conf, "pid run/z.pid;\n");
        Files.createDirectories(prefix.resolve("run"));
        Files.writeString(prefix.resolve("run/z.pid"), "4242\n");
        assertThat(run("-s", "reload")).isZero();
        assertThat(run("-s", "quit")).isZero();
        assertThat(run("-s", "stop")).isZero();
        assertThat(run("-s", "reopen")).isZero();
        assertThat(sent).containsExactly("4242 HUP", "4242 QUIT", "4242 TERM", "4242 USR1");
        assertThat(err()).isEmpty();
        assertThat(Files.readString(prefix.resolve("logs/error.log"))).contains("[notice] ", "signal process started");
    }

    @Test
    void aSignalDoesNotRepeatTheWarningsTheNodeGaveForItsConfiguration() throws IOException {
        Files.writeString(conf, "pid run/z.pid;\nfake_warning \"low address bits\";\n");
        Files.createDirectories(prefix.resolve("run"));
        Files.writeString(prefix.resolve("run/z.pid"), "4242\n");
        assertThat(run("-s", "quit")).isZero();
        assertThat(sent).containsExactly("4242 QUIT");
        assertThat(err()).isEmpty();
        assertThat(Files.readString(prefix.resolve("logs/error.log"))).contains("signal process started")
                .doesNotContain("low address bits");
        assertThat(run("-t")).as("-t still shows them").isZero();
        assertThat(err()).contains("zonesync: [warn] low address bits in " + conf + ":2");
    }

    @Test
    void signalWithoutAPidFile() {
        Path pid = prefix.resolve("logs/zonesync.pid");
        assertThat(run("-s", "reload")).isEqualTo(1);
        assertThat(err()).isEqualTo("zonesync: [error] open() \"" + pid + "\" failed (2: No such file or directory)\n");
        assertThat(sent).isEmpty();
    }

    @Test
    void signalWithAnInvalidPidFile() throws IOException {
        Path pid = prefix.resolve("logs/zonesync.pid");
        Files.createDirectories(pid.getParent());
        Files.writeString(pid, "not a pid\n");
        assertThat(run("-s", "stop")).isEqualTo(1);
        assertThat(err()).isEqualTo("zonesync: [error] invalid PID number \"not a pid\" in \"" + pid + "\"\n");
    }

    @Test
    void signalToAProcessThatIsGone() throws IOException {
        Path pid = prefix.resolve("logs/zonesync.pid");
        Files.createDirectories(pid.getParent());
        Files.writeString(pid, "4242\n");
        sendFailure = new IOException("3: No such process");
        assertThat(run("-s", "quit")).isEqualTo(1);
        assertThat(err()).isEqualTo("zonesync: [alert] kill(4242, 3) failed (3: No such process)\n");
    }

    @Test
    void aBrokenConfigurationStopsTheSignalToo() throws IOException {
        Files.writeString(conf, "foo;\n");
        assertThat(run("-s", "reload")).isEqualTo(1);
        assertThat(err()).isEqualTo("zonesync: [emerg] unknown directive \"foo\" in " + conf + ":1\n");
        assertThat(sent).isEmpty();
    }

    @Test
    void theRealKillCommandReportsAMissingProcess() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Assertions.assertThatThrownBy(
                () -> SignalSender.killCommand().send(gone.pid(), NodeSignal.RELOAD))
                .hasMessage("3: No such process");
    }
}
