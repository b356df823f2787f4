package io.zonesync.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code auth_basic_user_file}s as they are on disk now. nginx reads the file on every request,
 * so an edit counts at once; here each request looks at the file's size and modification time and
 * reads it again only when they changed. A file that cannot be read is the caller's answer (403 for
 * a missing one, 500 otherwise, as nginx). Holds at most {@link #FILES} files (a path with variables
 * can name many).
 */
final class UserFiles {
    private static final int FILES = 256;

    private record Version(Object fileKey, FileTime modified, long size, Htpasswd users) {
    }

    private final Map<Path, Version> files = new ConcurrentHashMap<>();

    /** The file's users now. */
    Htpasswd users(Path file) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        Version v = files.get(file);
        if (v != null && v.modified().equals(attrs.lastModifiedTime()) && v.size() == attrs.size()
                && Objects.equals(v.fileKey(), attrs.fileKey())) {
            return v.users();
        }
        Htpasswd users = Htpasswd.parse(file, Files.readString(file, StandardCharsets.UTF_8));
        if (files.size() >= FILES) {
            files.clear();
        }
        files.put(file, new Version(attrs.fileKey(), attrs.lastModifiedTime(), attrs.size(), users));
        return users;
    }
}
