package io.zonesync.http.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Values;
import io.zonesync.http.api.UpstreamApi.Block;
import io.zonesync.http.upstream.HostPort;
import io.zonesync.http.upstream.Peer;
import io.zonesync.http.upstream.ServerSpec;
import io.zonesync.http.upstream.UpstreamGroup;
import io.zonesync.http.upstream.UpstreamGroup.ResolveLine;
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
 * NginxStreamUpstreamConfServer), and changing them at run time. POST adds a server at an address
 * (a backup one when the balancing method has backups), or a {@code resolve} line for a domain name
 * (with {@code service}, its SRV records), which is listed among the servers with an id of its own,
 * the {@code parent} of the servers DNS gives it. PATCH changes the address (not of a server DNS
 * gave), weight (not one an SRV record gave), max_conns, max_fails, fail_timeout, slow_start, down
 * and, for http, route and drain; on a {@code resolve} line, its servers take the change. DELETE
 * removes a server (not one DNS gave) or a {@code resolve} line with its servers. Errors use NGINX
 * Plus's codes. Every change is written to the upstream's {@code state} file, when it has one,
 * before it is answered.
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

    /** GET {@code .../servers}: the servers in the group now (primary, then backup), then the {@code resolve} lines. */
    static List<Object> list(UpstreamGroup group, Block block) {
        List<Object> out = new ArrayList<>();
        for (Peer p : group.peers()) {
            out.add(conf(group, p, block));
        }
        for (ResolveLine l : group.resolveLines()) {
            out.add(conf(l, block));
        }
        return out;
    }

    /** GET {@code .../servers/{id}}. */
    static Map<String, Object> get(UpstreamGroup group, String id, Block block) throws ApiError {
        ResolveLine line = line(group, id);
        return line != null ? conf(line, block) : conf(group, find(group, id), block);
    }

    /** POST: the new server, as GET shows it; a domain name (or a {@code service}) adds a {@code resolve} line. */
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
        boolean backup = bool(json, "backup", false);
        if (backup && !group.spec().balancing().allowsBackup()) {
            throw new ApiError(400, "UpstreamNoBackup", "upstream \"" + group.name() + "\" has no backup");
        }
        String text = text(json, "server");
        HostPort hp = HostPort.parse(text, block == Block.HTTP ? 80 : -1);
        if (json.has("service") || hp != null && !isAddress(hp.host())) {
            return postName(group, json, text, hp, block);
        }
        InetSocketAddress address = address(text, block);
        ServerSpec base = new ServerSpec(text, address, 1, ServerSpec.DEFAULT_MAX_FAILS,
                ServerSpec.DEFAULT_FAIL_TIMEOUT_MS, 0, backup, false, route(json, null), null);
        ServerSpec spec = apply(base, json, group.spec().balancing().allowsSlowStart());
        synchronized (group) {
            Peer p = group.add(spec);
            persist(group);
            return conf(group, p, block);
        }
    }

    /**
     * POST of a domain name, with {@code service} an SRV service: a {@code resolve} line, which
     * needs a {@code resolver}; its servers come as DNS names them, each with this line's id as
     * {@code parent}.
     */
    private static Map<String, Object> postName(UpstreamGroup group, JsonNode json, String text, HostPort hp,
            Block block) throws ApiError {
        String service = json.has("service") ? text(json, "service") : null;
        if (service != null && service.isEmpty()) {
            throw new ApiError(400, "UpstreamBadService", "\"service\" is empty");
        }
        if (hp == null) {
            throw new ApiError(400, "UpstreamBadAddress", "invalid port in \"" + text + "\"");
        }
        if (service != null && hp.explicitPort()) {
            throw new ApiError(400, "UpstreamBadAddress", "service upstream \"" + text + "\" may not have port");
        }
        if (service != null && isAddress(hp.host())) {
            throw new ApiError(400, "UpstreamBadAddress", "service upstream \"" + text + "\" requires domain name");
        }
        if (service == null && !hp.explicitPort() && block == Block.STREAM) {
            throw new ApiError(400, "UpstreamBadAddress", "no port in server \"" + text + "\"");
        }
        if (group.spec().resolver() == null || group.zone() == null) {
            throw new ApiError(400, "UpstreamConfNoResolver", "no resolver defined to resolve " + hp.host());
        }
        ServerSpec base = new ServerSpec(text, null, 1, ServerSpec.DEFAULT_MAX_FAILS, ServerSpec.DEFAULT_FAIL_TIMEOUT_MS,
                0, bool(json, "backup", false), false, route(json, null), null, false, true, service, 0);
        ServerSpec template = apply(base, json, group.spec().balancing().allowsSlowStart());
        synchronized (group) {
            ResolveLine line = group.addResolveLine(template);
            if (line == null) {
                throw new ApiError(409, "EntryExists", "entry exists");
            }
            persist(group);
            return conf(line, block);
        }
    }

    /** A {@code resolve} line's new parameters, which its servers take. */
    private static Map<String, Object> patchLine(UpstreamGroup group, ResolveLine line, JsonNode json, Block block)
            throws ApiError {
        ServerSpec now = line.template();
        if (json.has("server") && !text(json, "server").equals(now.name())) {
            throw new ApiError(400, "UpstreamServerImmutable", "server \"" + line.id() + "\" address is immutable");
        }
        if (json.has("weight") && now.service() != null) {
            throw new ApiError(400, "UpstreamServerWeightImmutable", "server \"" + line.id() + "\" weight is immutable");
        }
        synchronized (group) {
            ServerSpec changed = apply(new ServerSpec(now.name(), null, now.weight(), now.maxFails(),
                    now.failTimeoutMs(), now.maxConns(), now.backup(), now.down(), route(json, now.route()), now.where(),
                    now.drain(), true, now.service(), now.slowStartMs()), json,
                    group.spec().balancing().allowsSlowStart());
            if (!group.patchResolveLine(line.id(), changed)) {
                throw notFound(String.valueOf(line.id()));
            }
            persist(group);
            return conf(new ResolveLine(line.id(), changed), block);
        }
    }

    /** The {@code resolve} line with this id, or null (also for an id that is not a number). */
    private static ResolveLine line(UpstreamGroup group, String id) {
        for (ResolveLine l : group.resolveLines()) {
            if (String.valueOf(l.id()).equals(id)) {
                return l;
            }
        }
        return null;
    }

    /** PATCH: the server after the change. */
    static Map<String, Object> patch(UpstreamGroup group, String id, byte[] body, Block block) throws ApiError {
        ResolveLine line = line(group, id);
        Peer p = line != null ? null : find(group, id);
        JsonNode json = object(body, block);
        for (String fixed : List.of("id", "backup", "service", "parent", "host")) {
            if (json.has(fixed)) {
                throw format("\"" + fixed + "\" cannot be changed");
            }
        }
        if (line != null) {
            return patchLine(group, line, json, block);
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
            return conf(group, after, block);
        }
    }

    /** DELETE: the servers left. */
    static List<Object> delete(UpstreamGroup group, String id, Block block) throws ApiError {
        ResolveLine line = line(group, id);
        if (line != null) {
            synchronized (group) {
                if (!group.removeResolveLine(line.id())) {
                    throw notFound(id);
                }
                persist(group);
                return list(group, block);
            }
        }
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
        if (!isAddress(host)) {
            throw new ApiError(400, "UpstreamBadAddress", "invalid address \"" + server + "\": an IP address is"
                    + " expected");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new ApiError(400, "UpstreamBadAddress", "invalid address \"" + server + "\"");
        }
    }

    /** An IPv4 or IPv6 address rather than a name. */
    private static boolean isAddress(String host) {
        return host.indexOf(':') >= 0 || !host.isEmpty() && host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
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

    /** A server as NGINX Plus's {@code servers} endpoints show it; one DNS gave names its line as {@code parent}. */
    static Map<String, Object> conf(UpstreamGroup group, Peer p, Block block) {
        Map<String, Object> m = conf(p.id(), p.spec().addressText(), p.spec(), block);
        if (p.spec().resolve()) {
            int parent = group.parentOf(p);
            if (parent >= 0) {
                m.put("parent", String.valueOf(parent));
            }
            m.put("host", p.spec().name());
        }
        return m;
    }

    /** A {@code resolve} line as NGINX Plus shows it among the servers: its name (and service), its parameters. */
    private static Map<String, Object> conf(ResolveLine line, Block block) {
        return conf(line.id(), line.template().name(), line.template(), block);
    }

    private static Map<String, Object> conf(int id, String server, ServerSpec s, Block block) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("server", server);
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
