package io.zonesync.http.staticfiles;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.http.autoindex.DirectoryListing;
import io.zonesync.http.core.ContentHandler;
import io.zonesync.http.core.HttpDate;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.LocationConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files under {@code root}, as nginx's index and static modules serve them, for a location no
 * other module answers.
 * GET and HEAD serve a file with Content-Type (types/default_type), Content-Length, Last-Modified
 * and ETag, or 304 for an exact If-Modified-Since; a URI ending in {@code /} tries the
 * {@code index} files in order through an internal redirect, else the directory's listing
 * ({@code autoindex}) or 403 for an existing directory, 404 otherwise; a directory without the slash gets 301 to the URI with it. POST to an existing
 * file and other methods get 405. The URI is normalised before it gets here, so it cannot climb
 * out of the root. A file or index that is not there, and a directory without one, are logged as
 * nginx logs them ({@code log_not_found off} keeps the first two quiet).
 */
final class StaticFileHandler implements ContentHandler {
    private static final Logger LOG = LoggerFactory.getLogger(StaticFileHandler.class);

    private final List<String> index;
    private final DirectoryListing listing;
    private final boolean logNotFound;

    /**
     * @param index the {@code index} file names in effect, in order
     * @param listing the {@code autoindex} listing, or null when off
     * @param logNotFound {@code log_not_found}: whether a file or index that is not there is logged
     */
    StaticFileHandler(List<String> index, DirectoryListing listing, boolean logNotFound) {
        this.index = List.copyOf(index);
        this.listing = listing;
        this.logNotFound = logNotFound;
    }

    @Override
    public BodyMode bodyMode() {
        return BodyMode.DISCARD;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String method = ex.method();
        boolean readMethod = method.equals("GET") || method.equals("HEAD");
        if (!readMethod && !method.equals("POST")) {
            ex.sendError(405);
            return;
        }
        LocationConfig loc = ex.location();
        String uri = ex.uri();
        if (uri.endsWith("/")) {
            serveIndex(ex, loc, uri);
            return;
        }
        Path file = loc.fileFor(ex, uri);
        BasicFileAttributes attrs = file == null ? null : attributes(file);
        if (attrs == null) {
            if (logNotFound && file != null) {
                LOG.error(ex.errorLog(), "open() \"{}\" failed (2: No such file or directory){}", file, ex.errorContext());
            }
            ex.sendError(404);
            return;
        }
        if (attrs.isDirectory()) {
            ex.sendRedirect(301, uri + "/" + (ex.args() == null ? "" : "?" + ex.args()));
            return;
        }
        if (!attrs.isRegularFile()) {
            ex.sendError(404);
            return;
        }
        if (!readMethod) {
            ex.sendError(405);
            return;
        }
        if (!Files.isReadable(file)) {
            ex.sendError(403);
            return;
        }
        String lastModified = HttpDate.format(attrs.lastModifiedTime().toMillis());
        HttpHeaders h = new DefaultHttpHeaders();
        String type = loc.types().forFileName(uri);
        h.set(HttpHeaderNames.CONTENT_TYPE, type != null ? type : loc.defaultType());
        h.set(HttpHeaderNames.LAST_MODIFIED, lastModified);
        h.set(HttpHeaderNames.ETAG, "\"" + Long.toHexString(attrs.lastModifiedTime().toMillis() / 1000) + "-"
                + Long.toHexString(attrs.size()) + "\"");
        String ims = ex.header("if-modified-since");
        if (ims != null && ims.equals(lastModified)) {
            h.remove(HttpHeaderNames.CONTENT_TYPE);
            ex.respond(304, h, null);
            return;
        }
        ex.respondFile(200, h, file, attrs.size());
    }

    private void serveIndex(HttpExchange ex, LocationConfig loc, String uri) {
        for (String name : index) {
            if (name.startsWith("/")) {
                ex.internalRedirect(name);
                return;
            }
            Path candidate = loc.fileFor(ex, uri + name);
            BasicFileAttributes attrs = candidate == null ? null : attributes(candidate);
            if (attrs != null && !attrs.isDirectory()) {
                ex.internalRedirect(uri + name);
                return;
            }
        }
        Path dir = loc.fileFor(ex, uri);
        BasicFileAttributes attrs = dir == null ? null : attributes(dir);
        if (attrs != null && attrs.isDirectory() && listing != null && !ex.method().equals("POST")) {
            listing.respond(ex, dir);
            return;
        }
        if (attrs != null && attrs.isDirectory()) {
            LOG.error(ex.errorLog(), "directory index of \"{}/\" is forbidden{}", dir, ex.errorContext());
            ex.sendError(403);
            return;
        }
        if (logNotFound && dir != null && !index.get(0).startsWith("/")) {
            // nginx finds the directory missing at the first index it tries
            LOG.error(ex.errorLog(), "\"{}\" is not found (2: No such file or directory){}",
                    loc.fileFor(ex, uri + index.get(0)), ex.errorContext());
        }
        ex.sendError(404);
    }

    private static BasicFileAttributes attributes(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, new LinkOption[0]);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
