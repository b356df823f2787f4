package io.zonesync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Debian's podman as a container runtime for tests, with storage of its own (a directory the test
 * owns, removed on close) so nothing is left in the machine's image store. Run as root with runc
 * and cgroupfs: crun refuses a host whose cgroups are mounted in hybrid mode, and the limits podman
 * sets by default (open files, processes) are lowered to what this process has, since a container
 * may not raise them.
 */
public final class Podman implements AutoCloseable {
    /** The outcome of one podman command: its status, its standard output and its standard error. */
    public record Result(int exit, String output, String errors) {
    }

    private final Path storage;

    private Podman(Path storage) {
        this.storage = storage;
    }

    /** Why podman cannot run containers here, if it cannot: not root, or podman or runc missing. */
    public static Optional<String> missing() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("running the image needs root (podman with its own storage), running as "
                    + System.getProperty("user.name"));
        }
        for (String tool : List.of("podman", "runc")) {
            if (onPath(tool).isEmpty()) {
                return Optional.of(tool + " is not installed: apt-get install podman runc (.ci/run installs them)");
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin:/sbin:/bin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Optional.of(Path.of(dir, name));
            }
        }
        return Optional.empty();
    }

    /** A podman whose images and containers live under {@code storage}. */
    public static Podman at(Path storage) throws IOException {
        Files.createDirectories(storage);
        return new Podman(storage);
    }

    /** Runs {@code podman ARGS...}, waiting up to {@code seconds}; output is stdout and stderr together. */
    public Result podman(int seconds, String... args) {
        List<String> command = new ArrayList<>(List.of("podman", "--root", storage.resolve("root").toString(),
                "--runroot", storage.resolve("run").toString(), "--storage-driver", "overlay",
                "--runtime", "runc", "--cgroup-manager", "cgroupfs", "--events-backend", "none"));
        command.addAll(List.of(args));
        try {
            // podman logs warnings on stderr (cgroups it may not create here): kept apart from the output
            Path errors = Files.createTempFile(storage, "stderr", ".txt");
            Process p = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            p.getOutputStream().close();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end within " + seconds + " s");
            }
            Result r = new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8), Files.readString(errors));
            Files.delete(errors);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Like {@link #podman} but fails the test unless the command exits 0; returns its output. */
    public String ok(int seconds, String... args) {
        Result r = podman(seconds, args);
        if (r.exit() != 0) {
            throw new AssertionError("podman " + String.join(" ", args) + " exited " + r.exit() + ":\n" + r.output()
                    + r.errors());
        }
        return r.output();
    }

    /**
     * {@code podman run -d} with the limits this process has (a container may not raise them):
     * {@code options} go before the image, {@code arguments} after it. Returns the container's id.
     */
    public String runDetached(List<String> options, String image, String... arguments) {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--ulimit", "nofile=4096:4096",
                "--ulimit", "nproc=4096:4096", "--health-interval", "disable"));
        args.addAll(options);
        args.add(image);
        args.addAll(List.of(arguments));
        String out = ok(120, args.toArray(String[]::new));
        // the id is the line of 64 hex digits (podman may log around it)
        return out.lines().map(String::strip).filter(l -> l.matches("[0-9a-f]{64}")).findFirst()
                .orElseThrow(() -> new AssertionError("podman run printed no container id:\n" + out));
    }

    /** What the container wrote to its standard output and error (podman logs keeps them apart too). */
    public String logs(String container) {
        Result r = podman(30, "logs", container);
        if (r.exit() != 0) {
            throw new AssertionError("podman logs " + container + " exited " + r.exit() + ":\n" + r.errors());
        }
        return r.output() + r.errors();
    }

    /** Removes every container, then the storage. */
    @Override
    public void close() {
        podman(120, "rm", "-f", "-a", "-t", "0");
        podman(300, "system", "reset", "-f");
    }
}
