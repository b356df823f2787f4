package io.zonesync.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A real dnsmasq (Debian's dnsmasq-base) for end-to-end tests: on 127.0.0.1 and a port the kernel
 * had free, with no upstream servers (nothing leaves the machine), no /etc/hosts, answering the
 * names of one local domain from an {@code --addn-hosts} file the test rewrites; each rewrite is
 * followed by SIGHUP, and returns once dnsmasq has logged that it read the file again. Names of
 * the domain that are not in the file get NXDOMAIN; records have a TTL of one second.
 */
public final class Dnsmasq implements AutoCloseable {
    private static final Pattern READ = Pattern.compile("read \\S+ - (\\d+) names?");

    private final Process process;
    private final Path hostsFile;
    private final Path logFile;
    private final int port;
    private final Map<String, List<String>> hosts = new LinkedHashMap<>();

    private Dnsmasq(Process process, Path hostsFile, Path logFile, int port) {
        this.process = process;
        this.hostsFile = hostsFile;
        this.logFile = logFile;
        this.port = port;
    }

    /** The dnsmasq binary, if installed (it lives in /usr/sbin, which a user's PATH may lack). */
    /**
     * Skips the calling test where dnsmasq is missing, except under CI ({@code CI=true}): .ci/run
     * installs it there, and a skip would hide an install step that stopped working.
     */
    public static void assumeInstalled() {
        if (executable().isPresent()) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("dnsmasq is not installed although CI=true: .ci/run installs dnsmasq-base");
        }
        Assumptions.abort("dnsmasq is not installed here (apt-get install dnsmasq-base;"
                + " .ci/run installs it)");
    }

    public static Optional<Path> executable() {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin"));
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, "dnsmasq"))
                .filter(Files::isExecutable).findFirst();
    }

    /** Starts dnsmasq in {@code dir} (its hosts file and log go there), authoritative for {@code domain}. */
    public static Dnsmasq start(Path dir, String domain) throws IOException {
        Path binary = executable().orElseThrow(() -> new IllegalStateException(
                "dnsmasq is not installed (apt-get install dnsmasq-base)"));
        Path hostsFile = dir.resolve("cluster-hosts");
        Files.writeString(hostsFile, "");
        String failure = "";
        for (int attempt = 1; attempt <= 5; attempt++) {
            int port = unusedUdpPort(); // dnsmasq has no port 0: a taken port is another attempt
            Path log = dir.resolve("dnsmasq-" + attempt + ".log");
            Process p = new ProcessBuilder(binary.toString(),
                    "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--no-poll",
                    "--listen-address=127.0.0.1", "--bind-interfaces", "--port=" + port,
                    "--addn-hosts=" + hostsFile, "--local=/" + domain + "/", "--local-ttl=1",
                    // as root dnsmasq would switch to "nobody", who may not read the test's directory
                    "--user=" + System.getProperty("user.name"), "--pid-file=",
                    "--log-facility=-", "--log-queries")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Dnsmasq d = new Dnsmasq(p, hostsFile, log, port);
            try {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> !p.isAlive() || d.reads() >= 1);
            } catch (RuntimeException e) {
                d.close();
                throw new IllegalStateException("dnsmasq did not start within 10 s: " + d.log(), e);
            }
            if (p.isAlive()) {
                return d;
            }
            failure = d.log();
            if (!failure.contains("in use")) {
                break; // not a port race: trying again will not help
            }
        }
        throw new IllegalStateException("dnsmasq could not start: " + failure);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** Sets {@code name}'s addresses (none removes the name) and makes dnsmasq read the file again. */
    public void hosts(String name, String... addresses) throws IOException {
        if (addresses.length == 0) {
            hosts.remove(name);
        } else {
            hosts.put(name, List.of(addresses));
        }
        StringBuilder text = new StringBuilder();
        hosts.forEach((n, list) -> list.forEach(a -> text.append(a).append(' ').append(n).append('\n')));
        Path tmp = hostsFile.resolveSibling(hostsFile.getFileName() + ".new");
        Files.writeString(tmp, text);
        Files.move(tmp, hostsFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        int before = reads();
        ProcessBuilder kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO();
        try {
            int rc = kill.start().waitFor();
            if (rc != 0) {
                throw new IllegalStateException("kill -HUP " + process.pid() + " exited with " + rc);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling dnsmasq", e);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> reads() > before);
    }

    /** How many times dnsmasq has logged reading the hosts file. */
    private int reads() {
        Matcher m = READ.matcher(log());
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** dnsmasq's log so far. */
    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A UDP port the kernel picked and let go: dnsmasq must be told a number. */
    private static int unusedUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
