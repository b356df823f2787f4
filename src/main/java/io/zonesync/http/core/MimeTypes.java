package io.zonesync.http.core;

import io.zonesync.config.Block;
import io.zonesync.config.Directive;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * File extension to Content-Type, from {@code types {}} blocks (all of one level merged; a level
 * with a types block replaces its parents'), or a built-in table of common types when the
 * configuration has none. Immutable.
 */
public final class MimeTypes {
    private static final String[][] COMMON = {
        {"text/html", "html", "htm", "shtml"}, {"text/css", "css"}, {"text/xml", "xml"},
        {"text/plain", "txt"}, {"text/markdown", "md"}, {"text/csv", "csv"},
        {"application/javascript", "js", "mjs"}, {"application/json", "json"}, {"application/wasm", "wasm"},
        {"application/atom+xml", "atom"}, {"application/rss+xml", "rss"}, {"application/xhtml+xml", "xhtml"},
        {"application/pdf", "pdf"}, {"application/zip", "zip"}, {"application/gzip", "gz"},
        {"application/x-tar", "tar"}, {"application/x-7z-compressed", "7z"}, {"application/rtf", "rtf"},
        {"application/postscript", "ps", "eps", "ai"}, {"application/java-archive", "jar", "war", "ear"},
        {"application/msword", "doc"}, {"application/vnd.ms-excel", "xls"},
        {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"},
        {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
        {"application/octet-stream", "bin", "exe", "dll", "deb", "dmg", "iso", "img", "msi"},
        {"image/gif", "gif"}, {"image/jpeg", "jpeg", "jpg"}, {"image/png", "png"}, {"image/webp", "webp"},
        {"image/avif", "avif"}, {"image/svg+xml", "svg", "svgz"}, {"image/x-icon", "ico"}, {"image/bmp", "bmp"},
        {"image/tiff", "tif", "tiff"}, {"font/woff", "woff"}, {"font/woff2", "woff2"},
        {"audio/mpeg", "mp3"}, {"audio/ogg", "ogg"}, {"audio/x-m4a", "m4a"}, {"audio/midi", "mid", "midi"},
        {"video/mp4", "mp4"}, {"video/webm", "webm"}, {"video/mpeg", "mpeg", "mpg"}, {"video/quicktime", "mov"},
        {"video/x-msvideo", "avi"}, {"video/mp2t", "ts"}, {"application/vnd.apple.mpegurl", "m3u8"},
    };

    /** The built-in table. */
    public static final MimeTypes BUILT_IN = builtIn();

    private final Map<String, String> byExtension;

    private MimeTypes(Map<String, String> byExtension) {
        this.byExtension = Map.copyOf(byExtension);
    }

    private static MimeTypes builtIn() {
        Map<String, String> m = new HashMap<>();
        for (String[] row : COMMON) {
            for (int i = 1; i < row.length; i++) {
                m.put(row[i], row[0]);
            }
        }
        return new MimeTypes(m);
    }

    /** The types of these {@code types {}} blocks (lines {@code type ext ...;}); a later line wins. */
    public static MimeTypes of(List<Block> blocks) {
        Map<String, String> m = new HashMap<>();
        for (Block b : blocks) {
            for (Directive line : b.directives()) {
                for (String ext : line.args()) {
                    m.put(ext.toLowerCase(Locale.ROOT), line.name());
                }
            }
        }
        return new MimeTypes(m);
    }

    /**
     * Whether a response's Content-Type is one of {@code types} (lower-case MIME types; {@code *}
     * takes any), its parameters ({@code ; charset=...}) aside: the test of {@code gzip_types},
     * {@code sub_filter_types} and their kind. A response without a type matches only {@code *}.
     */
    public static boolean listed(Collection<String> types, String contentType) {
        if (types.contains("*")) {
            return true;
        }
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String type = (semi >= 0 ? contentType.substring(0, semi) : contentType).trim().toLowerCase(Locale.ROOT);
        return types.contains(type);
    }

    /** The type for a file name's extension, or null. */
    public String forFileName(String name) {
        int dot = name.lastIndexOf('.');
        int slash = name.lastIndexOf('/');
        if (dot < 0 || dot < slash || dot == name.length() - 1) {
            return null;
        }
        return byExtension.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
