package io.zonesync.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real systemd, as PID 1 of its own PID and mount namespaces, booted into an empty target over a
 * copy-on-write view of this machine: the root is an overlay whose lower layer is {@code /} and
 * whose upper layer is a tmpfs, so units can be installed, users added and state directories made
 * without anything reaching the machine, and everything vanishes with the lab. The network
 * namespace is the machine's, so the test reaches services on loopback directly.
 *
 * <p>Files are put in before the boot ({@link #start}: host path to lab path) or written through
 * the lab ({@link #write}); commands run inside with {@link #exec} (nsenter). Needs root,
 * {@code unshare}, {@code nsenter}, {@code chroot} and systemd.
 */
public final class SystemdLab implements AutoCloseable {
    /** What a command in the lab printed (stdout and stderr) and its status. */
    public record Result(int exit, String output) {
    }

    private final Process unshare;
    private final long init;

    private SystemdLab(Process unshare, long init) {
        this.unshare = unshare;
        this.init = init;
    }

    /**
     * Boots the lab. {@code copies} pairs a host file or directory with where it goes in the lab
     * (copied before systemd starts); {@code setup} runs in the lab's root (chrooted) before the
     * boot, e.g. {@code useradd}. {@code work} holds the lab's mount point and its log.
     */
    public static SystemdLab start(Path work, List<String[]> copies, String setup) throws IOException {
        Path mount = Files.createDirectories(work.resolve("lab"));
        StringBuilder script = new StringBuilder("""
                set -e
                mount --make-rprivate /
                mount -t tmpfs tmpfs "$0"
                mkdir "$0/upper" "$0/work" "$0/root"
                mount -t overlay overlay -o lowerdir=/,upperdir="$0/upper",workdir="$0/work" "$0/root"
                R="$0/root"
                mount -t proc proc "$R/proc"
                mount --rbind /sys "$R/sys"
                mount --rbind /dev "$R/dev"
                mount -t tmpfs tmpfs "$R/run"
                mount -t tmpfs tmpfs "$R/tmp"
                """);
        // bash -c SCRIPT $0=mount point, $1=setup, then each copy as a pair of arguments
        List<String> args = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount", "bash", "-c", "",
                mount.toString(), setup));
        for (String[] c : copies) {
            String from = "${" + (args.size() - 7) + "}";
            String to = "${" + (args.size() - 6) + "}";
            script.append("mkdir -p \"$R$(dirname \"").append(to).append("\")\"\n");
            script.append("cp -a \"").append(from).append("\" \"$R").append(to).append("\"\n");
            args.add(c[0]);
            args.add(c[1]);
        }
        script.append("chroot \"$R\" /bin/sh -c \"$1\"\n");
        script.append("mkdir -p \"$R/run/systemd/system\"\n");
        script.append("printf '[Unit]\\nDescription=zonesync test lab\\n' > \"$R/run/systemd/system/zonesync-lab.target\"\n");
        script.append("exec chroot \"$R\" env container=zonesync-lab /lib/systemd/systemd --system"
                + " --unit=zonesync-lab.target\n");
        args.set(6, script.toString());
        Process p = new ProcessBuilder(args).redirectErrorStream(true)
                .redirectOutput(work.resolve("lab.out").toFile()).start();
        long[] init = {0};
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                if (!p.isAlive()) {
                    throw new IllegalStateException("the lab did not boot:\n" + Files.readString(work.resolve("lab.out")));
                }
                init[0] = p.children().filter(c -> c.info().command().orElse("").endsWith("systemd"))
                        .mapToLong(ProcessHandle::pid).findFirst().orElse(0);
                return init[0] != 0;
            });
            SystemdLab lab = new SystemdLab(p, init[0]);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> lab.exec("systemctl", "is-system-running").output().strip().equals("running"));
            return lab;
        } catch (RuntimeException | Error e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw e;
        }
    }

    /** Runs a command inside the lab, as root, in its root directory; fails after 90 s. */
    public Result exec(String... command) throws IOException, InterruptedException {
        return run(null, command);
    }

    /** Writes a file inside the lab (its directory must exist there). */
    public void write(String path, String content) throws IOException, InterruptedException {
        Result r = run(content, "sh", "-c", "cat > \"$0\"", path);
        if (r.exit() != 0) {
            throw new IllegalStateException("cannot write " + path + " in the lab: " + r.output());
        }
    }

    private Result run(String input, String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("nsenter", "-t", Long.toString(init), "-m", "-p", "-r", "-w"));
        full.addAll(List.of(command));
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            if (input != null) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not end within 90 s in the lab");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Kills the lab's PID 1: every process in it dies, and its mounts go with its namespace. */
    @Override
    public void close() {
        ProcessHandle.of(init).ifPresent(ProcessHandle::destroyForcibly);
        unshare.destroyForcibly();
        try {
            unshare.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
