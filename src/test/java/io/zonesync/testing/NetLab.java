package io.zonesync.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Hosts for fault tests: one Linux network namespace per host, each with a veth pair on a bridge in
 * the test's own namespace (which reaches every host, so the test talks to nodes directly), and the
 * faults a real network has: black-hole partitions ({@code iptables -j DROP}, packets vanish without
 * a reset), random loss ({@code iptables -m statistic}), a bandwidth cap ({@code tc tbf}) and, where
 * the kernel has it, delay ({@code tc netem}).
 *
 * <p>Needs root and {@code ip}, {@code iptables}, {@code tc}; {@link #unavailable()} says why not,
 * for the tests to skip with. Addresses are {@code 10.231.S.11} and up on a subnet S drawn per lab,
 * all inside namespaces this lab creates and deletes; nothing leaves the machine.
 */
public final class NetLab implements AutoCloseable {
    private static final long COMMAND_TIMEOUT_S = 20;
    /** The tools live in sbin, which a non-login PATH may lack; {@code ip netns exec} finds its command here too. */
    private static final String SEARCH_PATH = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";

    private final String tag;
    private final int subnet;
    private final int hosts;
    private boolean closed;

    private NetLab(String tag, int subnet, int hosts) {
        this.tag = tag;
        this.subnet = subnet;
        this.hosts = hosts;
    }

    /** Why this machine cannot run a lab, or empty when it can. */
    public static Optional<String> unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("network namespace fault tests need root (running as " + System.getProperty("user.name")
                    + ")");
        }
        for (String tool : List.of("ip", "iptables", "tc")) {
            if (!onPath(tool)) {
                return Optional.of("network namespace fault tests need " + tool + " (apt-get install iproute2 iptables)");
            }
        }
        return Optional.empty();
    }

    /** Whether {@code tc netem} (delay) exists in this kernel; many minimal VM kernels leave it out. */
    public boolean hasDelay() {
        try {
            run("tc", "qdisc", "replace", "dev", bridge(), "root", "netem", "delay", "1ms");
            run("tc", "qdisc", "del", "dev", bridge(), "root");
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** Creates {@code hosts} namespaces on a new bridge. */
    public static NetLab create(int hosts) {
        String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        int subnet = ThreadLocalRandom.current().nextInt(2, 250);
        NetLab lab = new NetLab(tag, subnet, hosts);
        try {
            lab.run("ip", "link", "add", lab.bridge(), "type", "bridge");
            lab.run("ip", "addr", "add", "10.231." + subnet + ".1/24", "dev", lab.bridge());
            lab.run("ip", "link", "set", lab.bridge(), "up");
            for (int h = 0; h < hosts; h++) {
                String ns = lab.namespace(h);
                lab.run("ip", "netns", "add", ns);
                lab.run("ip", "link", "add", lab.outer(h), "type", "veth", "peer", "name", "eth0", "netns", ns);
                lab.run("ip", "link", "set", lab.outer(h), "master", lab.bridge(), "up");
                lab.run("ip", "-n", ns, "addr", "add", lab.address(h) + "/24", "dev", "eth0");
                lab.run("ip", "-n", ns, "link", "set", "eth0", "up");
                lab.run("ip", "-n", ns, "link", "set", "lo", "up");
            }
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    public int hosts() {
        return hosts;
    }

    /** Host {@code h}'s address (0-based). */
    public String address(int h) {
        return "10.231." + subnet + "." + (11 + h);
    }

    /** {@code command} as run inside host {@code h}'s namespace. */
    public List<String> inside(int h, List<String> command) {
        List<String> out = new ArrayList<>(List.of("env", "PATH=" + SEARCH_PATH, "ip", "netns", "exec", namespace(h)));
        out.addAll(command);
        return out;
    }

    /** A black hole between hosts a and b, both ways: their packets to each other are dropped. */
    public void cut(int a, int b) {
        drop(a, b);
        drop(b, a);
    }

    /** Host h is cut from every other host and from the test (its namespace drops all but loopback). */
    public void isolate(int h) {
        for (String chain : List.of("INPUT", "OUTPUT")) {
            run("ip", "netns", "exec", namespace(h), "iptables", "-A", chain, "!", chain.equals("INPUT") ? "-i" : "-o",
                    "lo", "-j", "DROP");
        }
    }

    /** Drops a share of host h's packets at random, both ways ({@code percent} of 100). */
    public void loss(int h, double percent) {
        for (String chain : List.of("INPUT", "OUTPUT")) {
            run("ip", "netns", "exec", namespace(h), "iptables", "-A", chain, "!", chain.equals("INPUT") ? "-i" : "-o",
                    "lo", "-m", "statistic", "--mode", "random", "--probability", Double.toString(percent / 100), "-j",
                    "DROP");
        }
    }

    /** Caps what host h sends at {@code kbit} kilobits per second. */
    public void bandwidth(int h, int kbit) {
        run("ip", "netns", "exec", namespace(h), "tc", "qdisc", "replace", "dev", "eth0", "root", "tbf", "rate",
                kbit + "kbit", "burst", "16kbit", "latency", "400ms");
    }

    /** Delays what host h sends by {@code ms}; only where {@link #hasDelay()}. */
    public void delay(int h, int ms) {
        run("ip", "netns", "exec", namespace(h), "tc", "qdisc", "replace", "dev", "eth0", "root", "netem", "delay",
                ms + "ms");
    }

    /** Removes every fault: partitions, loss, bandwidth caps, delays. */
    public void heal() {
        for (int h = 0; h < hosts; h++) {
            run("ip", "netns", "exec", namespace(h), "iptables", "-F");
            tryRun("ip", "netns", "exec", namespace(h), "tc", "qdisc", "del", "dev", "eth0", "root");
        }
    }

    /** Deletes the namespaces and the bridge (their processes must have exited or been killed). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int h = 0; h < hosts; h++) {
            tryRun("ip", "netns", "del", namespace(h));
        }
        tryRun("ip", "link", "del", bridge());
    }

    private void drop(int from, int to) {
        run("ip", "netns", "exec", namespace(from), "iptables", "-A", "OUTPUT", "-d", address(to), "-j", "DROP");
        run("ip", "netns", "exec", namespace(from), "iptables", "-A", "INPUT", "-s", address(to), "-j", "DROP");
    }

    private String namespace(int h) {
        return "zs" + tag + "n" + h;
    }

    private String bridge() {
        return "zs" + tag + "br";
    }

    private String outer(int h) {
        return "zs" + tag + "v" + h;
    }

    private void tryRun(String... command) {
        try {
            run(command);
        } catch (IllegalStateException e) {
            // already gone
        }
    }

    private void run(String... command) {
        try {
            Path out = Files.createTempFile("netlab", ".out");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
                pb.environment().put("PATH", SEARCH_PATH);
                Process p = pb.start();
                if (!p.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + ": no answer in " + COMMAND_TIMEOUT_S + " s");
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): "
                            + Files.readString(out, StandardCharsets.UTF_8).strip());
                }
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + ": interrupted", e);
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : SEARCH_PATH.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
