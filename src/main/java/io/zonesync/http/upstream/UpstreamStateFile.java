package io.zonesync.http.upstream;

import io.zonesync.config.Block;
import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.Directive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An upstream's {@code state} file, in nginx's format: one {@code server ADDRESS [params];} line
 * per server. Read when the configuration is parsed (a missing file is an empty group); written
 * whole, through a file beside it and a rename, after every change the API makes.
 */
public final class UpstreamStateFile {
    private UpstreamStateFile() {
    }

    /**
     * The {@code server} lines of {@code file}, or none when it does not exist; anything else is an
     * error, and so is a directory the API's rewrites could not write in (missing or read-only), so
     * that {@code -t} and the start refuse it rather than the first API change.
     */
    static List<Directive> read(Path file, Directive state) throws ConfigException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw state.error("state file \"%s\" cannot be written: directory \"%s\" does not exist", file, dir);
        }
        if (!Files.isWritable(dir)) {
            throw state.error("state file \"%s\" cannot be written: directory \"%s\" is not writable", file, dir);
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw state.error("cannot read state file \"%s\": %s", file, e.getMessage());
        }
        Block block = ConfigParser.parseString(text, file.toString());
        for (Directive d : block.directives()) {
            if (!d.name().equals("server") || d.hasBlock() || d.argCount() < 1) {
                throw d.error("unexpected \"%s\" in state file: only \"server\" lines may be there", d.name());
            }
        }
        return block.directives();
    }

    /** Replaces {@code file} with the lines of {@code servers} (a {@code resolve} line by its name). */
    public static void write(Path file, List<ServerSpec> servers) throws IOException {
        Set<String> lines = new LinkedHashSet<>();
        for (ServerSpec s : servers) {
            lines.add(line(s));
        }
        StringBuilder text = new StringBuilder();
        lines.forEach(l -> text.append(l).append('\n'));
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** One server as a {@code server} line: its address (or name, for resolve) and non-default parameters. */
    static String line(ServerSpec s) {
        StringBuilder b = new StringBuilder("server ");
        b.append(s.resolve() ? s.name() : s.addressText());
        if (s.weight() != 1) {
            b.append(" weight=").append(s.weight());
        }
        if (s.maxConns() != 0) {
            b.append(" max_conns=").append(s.maxConns());
        }
        if (s.maxFails() != ServerSpec.DEFAULT_MAX_FAILS) {
            b.append(" max_fails=").append(s.maxFails());
        }
        if (s.failTimeoutMs() != ServerSpec.DEFAULT_FAIL_TIMEOUT_MS) {
            b.append(" fail_timeout=").append(time(s.failTimeoutMs()));
        }
        if (s.slowStartMs() != 0) {
            b.append(" slow_start=").append(time(s.slowStartMs()));
        }
        if (s.route() != null) {
            b.append(" route=").append(s.route());
        }
        if (s.backup()) {
            b.append(" backup");
        }
        if (s.down()) {
            b.append(" down");
        }
        if (s.drain()) {
            b.append(" drain");
        }
        if (s.service() != null) {
            b.append(" service=").append(s.service());
        }
        if (s.resolve()) {
            b.append(" resolve");
        }
        return b.append(';').toString();
    }

    /** A time as nginx writes it: whole seconds as {@code 30s}, else milliseconds. */
    private static String time(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
