package io.zonesync.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Files that directives name and that count per request, as nginx reads them on every request
 * ({@code auth_basic_user_file}, an {@code auth_jwt_key_file} whose name holds variables): each
 * look compares the file's size, modification time and identity with the last read, and reads and
 * parses it again only when they changed. A file that cannot be read is the caller's to answer.
 * Holds at most {@link #FILES} files (a name with variables can name many).
 *
 * @param <T> what a file's content is parsed into
 */
public final class FileSnapshots<T> {
    private static final int FILES = 256;

    /** Parses a file's content; an exception says the file is unusable. */
    public interface Parser<T> {
        T parse(Path file, byte[] content) throws IOException;
    }

    private record Version<T>(Object fileKey, FileTime modified, long size, T value) {
    }

    private final Parser<T> parser;
    private final Map<Path, Version<T>> files = new ConcurrentHashMap<>();

    public FileSnapshots(Parser<T> parser) {
        this.parser = parser;
    }

    /** The file's content now, parsed. */
    public T get(Path file) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        Version<T> v = files.get(file);
        if (v != null && v.modified().equals(attrs.lastModifiedTime()) && v.size() == attrs.size()
                && Objects.equals(v.fileKey(), attrs.fileKey())) {
            return v.value();
        }
        T value = parser.parse(file, Files.readAllBytes(file));
        if (files.size() >= FILES) {
            files.clear();
        }
        files.put(file, new Version<>(attrs.fileKey(), attrs.lastModifiedTime(), attrs.size(), value));
        return value;
    }
}
