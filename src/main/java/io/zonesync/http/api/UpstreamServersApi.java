package io.zonesync.http.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Values;
import io.zonesync.http.api.UpstreamApi.Block;
import io.zonesync.http.upstream.Peer;
import io.zonesync.http.upstream.ServerSpec;
import io.zonesync.http.upstream.UpstreamGroup;
import io.zonesync.http.upstream.UpstreamStateFile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /N/http/upstreams/{name}/servers[/{id}]} and {@code /N/stream/upstreams/{name}/servers[/{id}]}:
 * an upstream's servers as NGINX Plus shows them (NginxHTTPUpstreamConfServer,
 * NginxStreamUpstreamConfServer), and changing them at run time: POST adds a server (an address;
 * a backup one when the balancing method has backups), PATCH changes the address (not of a server
 * DNS gave), weight (not one an SRV record gave), max_conns, max_fails, fail_timeout, slow_start,
 * down and, for http, route and drain; DELETE removes a server (not one a {@code resolve} line gave). Errors use NGINX Plus's codes. Every change is written to
 * the upstream's {@code state} file, when it has one, before it is answered.
 */
final class UpstreamServersApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("id", "server", "service", "weight", "max_conns", "max_fails",
            "fail_timeout", "slow_start", "route", "backup", "down", "drain", "parent", "host");
    /** A stream server has no {@code route} and no {@code drain}. */
    private static final Set<String> STREAM_FIELDS = Set.of("id", "server", "service", "weight", "max_conns",
            "max_fails", "fail_timeout", "slow_start", "backup", "down", "parent", "host");

    private UpstreamServersApi() {
    }

    /** GET {@code .../servers}. */
    static List<Object> list(UpstreamGroup group, Block block) {
        List<Object> out = new ArrayList<>();
        for (Peer p : group.peers()) {
            out.add(conf(p, block));
        }
        return out;
    }

    /** GET {@code .../servers/{id}}. */
    static Map<String, Object> get(UpstreamGroup group, String id, Block block) throws ApiError {
        return conf(find(group, id), block);
    }

    /** POST: the new server, as GET shows it. */
    static Map<String, Object> post(UpstreamGroup group, byte[] body, Block block) throws ApiError {
        JsonNode json = object(body, block);
        JsonNode server = json.get("server");
        if (server == null) {
            throw format("missing \"server\" argument");
        }
        if (json.has("id") || json.has("parent") || json.has("host")) {
            throw format("unknown parameter \"" + (json.has("id") ? "id" : json.has("parent") ? "parent" : "host")
                    + "\"");
        }
        if (json.has("service")) {
            throw new ApiError(400, "UpstreamBadService", "adding a server with \"service\" is not supported: SRV"
                    + " servers come from a \"server ... service= resolve\" line");
        }
        InetSocketAddress address = address(text(json, "server"), block);
        boolean backup = bool(json, "backup", false);
        if (backup && !group.spec().balancing().allowsBackup()) {
            throw new ApiError(400, "UpstreamNoBackup", "upstream \"" + group.name() + "\" has no backup");
        }
        ServerSpec base = new ServerSpec(text(json, "server"), address, 1, ServerSpec.DEFAULT_MAX_FAILS,
                ServerSpec.DEFAULT_FAIL_TIMEOUT_MS, 0, backup, false, route(json, null), null);
        ServerSpec spec = apply(base, json, group.spec().balancing().allowsSlowStart());
        synchronized (group) {
            Peer p = group.add(spec);
            persist(group);
            return conf(p, block);
        }
    }

    /** PATCH: the server after the change. */
    static Map<String, Object> patch(UpstreamGroup group, String id, byte[] body, Block block) throws ApiError {
        Peer p = find(group, id);
        JsonNode json = object(body, block);
        for (String fixed : List.of("id", "backup", "service", "parent", "host")) {
            if (json.has(fixed)) {
                throw format("\"" + fixed + "\" cannot be changed");
            }
        }
        ServerSpec now = p.spec();
        String name = now.name();
        InetSocketAddress address = now.address();
        if (json.has("server")) {
            String text = text(json, "server");
            if (now.resolve()) {
                // DNS gave this server its address
                if (!text.equals(now.addressText())) {
                    throw new ApiError(400, "UpstreamServerImmutable", "server \"" + p.id() + "\" address is immutable");
                }
            } else if (!address(text, block).equals(address)) {
                name = text;
                address = address(text, block);
            }
        }
        if (json.has("weight") && now.service() != null) {
            // an SRV record gives the weight
            throw new ApiError(400, "UpstreamServerWeightImmutable", "server \"" + p.id() + "\" weight is immutable");
        }
        synchronized (group) {
            ServerSpec changed = apply(new ServerSpec(name, address, now.weight(), now.maxFails(),
                    now.failTimeoutMs(), now.maxConns(), now.backup(), now.down(), route(json, now.route()), now.where(),
                    now.drain(), now.resolve(), now.service(), now.slowStartMs()), json,
                    group.spec().balancing().allowsSlowStart());
            Peer after = group.patch(p.id(), changed);
            if (after == null) {
                throw notFound(id);
            }
            persist(group);
            return conf(after, block);
        }
    }

    /** DELETE: the servers left. */
    static List<Object> delete(UpstreamGroup group, String id, Block block) throws ApiError {
        Peer p = find(group, id);
        if (p.spec().resolve()) {
            throw new ApiError(400, "UpstreamServerImmutable", "server \"" + p.id() + "\" not removable");
        }
        synchronized (group) {
            if (!group.remove(p.id())) {
                throw notFound(id);
            }
            persist(group);
            return list(group, block);
        }
    }

    private static Peer find(UpstreamGroup group, String id) throws ApiError {
        if (id.isEmpty() || id.length() > 9 || !id.chars().allMatch(Character::isDigit)) {
            throw new ApiError(400, "UpstreamBadServerId", "invalid server id");
        }
        Peer p = group.peer(Integer.parseInt(id));
        if (p == null) {
            throw notFound(id);
        }
        return p;
    }

    private static ApiError notFound(String id) {
        return new ApiError(404, "UpstreamServerNotFound", "server with id \"" + id + "\" does not exist");
    }

    private static ApiError format(String text) {
        return new ApiError(400, "UpstreamConfFormatError", text);
    }

    /** The body as a JSON object of scalars with known names. */
    private static JsonNode object(byte[] body, Block block) throws ApiError {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.json("invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.json("invalid JSON: " + e.getMessage());
        }
        if (json == null || json.isMissingNode()) {
            throw ApiError.json("the request body is empty, a JSON object is expected");
        }
        if (!json.isObject()) {
            throw format("a JSON object is expected");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!(block == Block.HTTP ? FIELDS : STREAM_FIELDS).contains(f.getKey())) {
                throw format("unknown parameter \"" + f.getKey() + "\"");
            }
            if (f.getValue().isContainerNode()) {
                throw format("nested object or list");
            }
        }
        return json;
    }

    /** The numeric and flag parameters of {@code json} over {@code s}. */
    private static ServerSpec apply(ServerSpec s, JsonNode json, boolean allowsSlowStart) throws ApiError {
        int weight = s.weight();
        if (json.has("weight")) {
            weight = integer(json, "weight");
            if (weight <= 0) {
                throw new ApiError(400, "UpstreamBadWeight", "invalid \"weight\"");
            }
        }
        int maxConns = s.maxConns();
        if (json.has("max_conns")) {
            maxConns = integer(json, "max_conns");
            if (maxConns < 0) {
                throw new ApiError(400, "UpstreamBadMaxConns", "invalid \"max_conns\"");
            }
        }
        int maxFails = s.maxFails();
        if (json.has("max_fails")) {
            maxFails = integer(json, "max_fails");
            if (maxFails < 0) {
                throw new ApiError(400, "UpstreamBadMaxFails", "invalid \"max_fails\"");
            }
        }
        long failTimeout = s.failTimeoutMs();
        if (json.has("fail_timeout")) {
            failTimeout = time(json, "fail_timeout", "UpstreamBadFailTimeout");
        }
        long slowStart = s.slowStartMs();
        if (json.has("slow_start")) {
            slowStart = time(json, "slow_start", "UpstreamBadSlowStart");
            if (slowStart > 0 && !allowsSlowStart) {
                throw new ApiError(400, "UpstreamBadSlowStart", "invalid \"slow_start\": the balancing method does"
                        + " not support it");
            }
        }
        return s.with(weight, maxFails, failTimeout, maxConns, bool(json, "down", s.down()),
                bool(json, "drain", s.drain()), slowStart);
    }

    private static String route(JsonNode json, String current) throws ApiError {
        if (!json.has("route")) {
            return current;
        }
        String r = text(json, "route");
        if (r.length() > ServerSpec.MAX_SID_LENGTH) {
            throw new ApiError(400, "UpstreamBadRoute", "route is too long");
        }
        return r.isEmpty() ? null : r;
    }

    /** An IP address and port; without a port, 80 for http, an error for stream (as NGINX Plus). */
    private static InetSocketAddress address(String server, Block block) throws ApiError {
        String host = server;
        int port = 80;
        int colon = server.lastIndexOf(':');
        if (server.startsWith("[")) {
            int close = server.indexOf(']');
            host = close < 0 ? "" : server.substring(1, close);
            colon = close < 0 ? -1 : server.indexOf(':', close);
        } else if (colon >= 0 && server.indexOf(':') != colon) {
            colon = -1; // a bare IPv6 address
        } else if (colon >= 0) {
            host = server.substring(0, colon);
        }
        if (colon >= 0) {
            String p = server.substring(colon + 1);
            if (p.isEmpty() || p.length() > 5 || !p.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(p) < 1 || Integer.parseInt(p) > 65535) {
                throw new ApiError(400, "UpstreamBadAddress", "invalid port in \"" + server + "\"");
            }
            port = Integer.parseInt(p);
        } else if (block == Block.STREAM) {
            throw new ApiError(400, "UpstreamBadAddress", "no port in server \"" + server + "\"");
        }
        boolean literal = host.indexOf(':') >= 0 || !host.isEmpty()
                && host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
        if (!literal) {
            throw new ApiError(400, "UpstreamBadAddress", "invalid address \"" + server + "\": an IP address is"
                    + " expected (domain names are resolved by \"server ... resolve\" lines)");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new ApiError(400, "UpstreamBadAddress", "invalid address \"" + server + "\"");
        }
    }

    private static String text(JsonNode json, String name) throws ApiError {
        JsonNode v = json.get(name);
        if (!v.isTextual()) {
            throw format("invalid \"" + name + "\" value");
        }
        return v.asText();
    }

    private static int integer(JsonNode json, String name) throws ApiError {
        JsonNode v = json.get(name);
        if (!v.isInt()) {
            throw format("invalid \"" + name + "\" value");
        }
        return v.asInt();
    }

    private static boolean bool(JsonNode json, String name, boolean otherwise) throws ApiError {
        JsonNode v = json.get(name);
        if (v == null) {
            return otherwise;
        }
        if (!v.isBoolean()) {
            throw format("invalid \"" + name + "\" value");
        }
        return v.asBoolean();
    }

    /** A time as nginx writes it ({@code "10s"}, {@code "500ms"}) or a number of seconds. */
    private static long time(JsonNode json, String name, String code) throws ApiError {
        JsonNode v = json.get(name);
        if (v.isInt() && v.asInt() >= 0) {
            return v.asLong() * 1000;
        }
        if (!v.isTextual()) {
            throw format("invalid \"" + name + "\" value");
        }
        try {
            return Values.timeMs(new Directive(name, List.of(v.asText()), null, null), v.asText());
        } catch (ConfigException e) {
            throw new ApiError(400, code, "invalid \"" + name + "\"");
        }
    }

    /** A server as NGINX Plus's {@code servers} endpoints show it. */
    static Map<String, Object> conf(Peer p, Block block) {
        ServerSpec s = p.spec();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("server", s.addressText());
        if (s.service() != null) {
            m.put("service", s.service());
        }
        m.put("weight", s.weight());
        m.put("max_conns", s.maxConns());
        m.put("max_fails", s.maxFails());
        m.put("fail_timeout", timeText(s.failTimeoutMs()));
        m.put("slow_start", timeText(s.slowStartMs()));
        if (block == Block.HTTP) {
            m.put("route", s.route() == null ? "" : s.route());
        }
        m.put("backup", s.backup());
        m.put("down", s.down());
        if (s.drain() && block == Block.HTTP) {
            m.put("drain", true);
        }
        if (s.resolve()) {
            m.put("host", s.name());
        }
        return m;
    }

    /** A time as nginx prints it in the API: whole seconds as {@code 10s}, else {@code 1500ms}. */
    private static String timeText(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static void persist(UpstreamGroup group) throws ApiError {
        if (group.spec().stateFile() == null) {
            return;
        }
        try {
            UpstreamStateFile.write(group.spec().stateFile(), group.stateLines());
        } catch (IOException e) {
            throw new ApiError(500, "StateFileError", "the change to upstream \"" + group.name()
                    + "\" is in force but could not be saved to " + group.spec().stateFile() + ": " + e.getMessage());
        }
    }
}
