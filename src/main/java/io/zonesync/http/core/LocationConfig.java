package io.zonesync.http.core;

import io.zonesync.http.accesslog.AccessLog;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.RequestView;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;

/**
 * The settings of one location (or of a server, for requests no location matches), resolved with
 * nginx's inheritance from the http and server levels. Immutable.
 *
 * @param name how the location was written ({@code = /x}, {@code ~ re}), "" for server level
 * @param rewriteHandlers this level's rewrite-phase steps ({@code return}); not inherited, as in nginx
 * @param root the document root (may hold variables); relative values resolve against {@code prefix}
 * @param clientMaxBodySize the largest request body in bytes, 0 for no limit
 * @param timeouts          {@code client_header_timeout}, {@code client_body_timeout}, {@code send_timeout}
 * @param headerBuffers     {@code large_client_header_buffers}: how long the request line and one header
 *                          line may be, and how many such buffers all header lines may fill
 * @param keepaliveTimeoutMs how long an idle keep-alive connection stays open, 0 for no keep-alive
 * @param keepaliveHeaderSeconds the {@code Keep-Alive: timeout=} to announce, -1 for none
 * @param keepaliveRequests the requests one connection may carry
 * @param types extension to Content-Type
 * @param defaultType the Content-Type when no extension matches, and of {@code return} texts
 * @param accessLogs where requests here are logged; empty for {@code access_log off}
 * @param errorPages {@code error_page} targets by status
 * @param serverTokens whether the Server header carries the version
 * @param absoluteRedirect whether a Location starting with {@code /} is made absolute
 * @param portInRedirect whether such a Location carries the port
 * @param contentHandler what answers requests here: a module's handler ({@code api}, {@code proxy_pass},
 *                       static files)
 * @param accessHandlers the access-phase checks, in order
 * @param headerFilters what changes the headers of every response here ({@code add_header})
 * @param logHandlers what runs when a request ends here ({@code status_zone}); a server's see all
 *                    of its requests
 * @param internal {@code internal}: only requests redirected here inside the server may use it
 * @param alias this location's {@code alias} in place of {@code root}, or null
 * @param aliasPrefix the part of the URI {@code alias} replaces (a prefix or exact location's
 *                    name); null for a regex location, whose alias names the whole file
 * @param bodyBufferSize {@code client_body_buffer_size}: the largest body {@code $request_body} holds
 * @param errorLog the marker of this level's {@code error_log}s (the nearest level with any), null
 *                 when the main ones apply
 */
public record LocationConfig(
        String name,
        List<RewriteHandler> rewriteHandlers,
        ComplexValue root,
        Path prefix,
        long clientMaxBodySize,
        HeaderBuffers headerBuffers,
        Timeouts timeouts,
        long keepaliveTimeoutMs,
        long keepaliveHeaderSeconds,
        long keepaliveRequests,
        MimeTypes types,
        String defaultType,
        List<AccessLog> accessLogs,
        Map<Integer, ErrorPage> errorPages,
        boolean serverTokens,
        boolean absoluteRedirect,
        boolean portInRedirect,
        ContentHandler contentHandler,
        List<AccessHandler> accessHandlers,
        List<HeaderFilter> headerFilters,
        List<LogHandler> logHandlers,
        boolean internal,
        ComplexValue alias,
        String aliasPrefix,
        int bodyBufferSize,
        Marker errorLog) {

    /** {@code large_client_header_buffers number size}; nginx's default is 4 8k. */
    public record HeaderBuffers(int number, int size) {
        public static final HeaderBuffers DEFAULT = new HeaderBuffers(4, 8192);
    }

    /**
     * How long a client may take: to send a request's headers ({@code client_header_timeout}, read
     * from the address's default server), between two reads of a body ({@code client_body_timeout})
     * and while the node cannot write to it ({@code send_timeout}). nginx's defaults: 60 s each.
     */
    public record Timeouts(long clientHeaderMs, long clientBodyMs, long sendMs) {
        public static final Timeouts DEFAULT = new Timeouts(60_000, 60_000, 60_000);
    }

    public LocationConfig {
        rewriteHandlers = List.copyOf(rewriteHandlers);
        accessLogs = List.copyOf(accessLogs);
        errorPages = Map.copyOf(errorPages);
        accessHandlers = List.copyOf(accessHandlers);
        headerFilters = List.copyOf(headerFilters);
        logHandlers = List.copyOf(logHandlers);
    }

    /**
     * The file a URI names in this location, null when it cannot be a path: under the root, or with
     * the alias in place of the location's prefix (a regex location's alias is the file itself).
     * A URI with a {@code ..} segment names no file, so none is found outside either.
     */
    public Path fileFor(RequestView request, String uri) {
        String path = new String(uri.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        if (path.contains("/../") || path.endsWith("/..")) {
            return null; // a URI that was not normalised (try_files of a variable) names no file above the root
        }
        try {
            if (alias == null) {
                return rootFor(request).resolve(path.startsWith("/") ? path.substring(1) : path);
            }
            // as nginx, the alias and the rest of the URI are joined as strings: "/j" with alias
            // "/data" makes "/jx" "/datax"
            String value = alias.evaluate(request);
            String rest = aliasPrefix == null || path.length() <= aliasPrefix.length() ? ""
                    : path.substring(aliasPrefix.length());
            if (rest.startsWith("..") || rest.contains("/..")) {
                return null; // "/j../x" with alias "/data/": nginx would climb out of the alias, zonesync does not
            }
            Path file = Path.of(value + rest);
            return file.isAbsolute() ? file : prefix.resolve(file);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** {@code $document_root}: the root's value, or the alias's, as written, made absolute against the prefix. */
    public String documentRoot(RequestView request) {
        String r = (alias != null ? alias : root).evaluate(request);
        return r.startsWith("/") ? r : prefix.resolve(r.isEmpty() ? "." : r).normalize().toString();
    }

    /** The root for a request: the root's value, or the alias's, made absolute against the prefix. */
    public Path rootFor(RequestView request) {
        String r = (alias != null ? alias : root).evaluate(request);
        Path p = Path.of(r.isEmpty() ? "." : r);
        return p.isAbsolute() ? p : prefix.resolve(p).normalize();
    }
}
