package io.zonesync.http.authjwt;

import static io.zonesync.config.Context.HTTP;
import static io.zonesync.config.Context.HTTP_LIMIT_EXCEPT;
import static io.zonesync.config.Context.HTTP_LOCATION;
import static io.zonesync.config.Context.HTTP_SERVER;

import io.zonesync.access.HttpAccessFeature;
import io.zonesync.config.Arity;
import io.zonesync.config.Block;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.config.ParsedConfig;
import io.zonesync.config.Scope;
import io.zonesync.config.Values;
import io.zonesync.http.core.AccessHandler;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.HttpFeature;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.Variable;
import io.zonesync.http.vars.VariableRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * NGINX Plus's ngx_http_auth_jwt_module for signed tokens (JWS): {@code auth_jwt realm
 * [token=$variable] | off}, {@code auth_jwt_key_file} (JWK sets read when the configuration is
 * loaded, or per request when the name holds variables), {@code auth_jwt_key_request} (the set a
 * subrequest answers), {@code auth_jwt_key_cache}, {@code auth_jwt_leeway},
 * {@code auth_jwt_require $value ... [error=401|403]}, {@code auth_jwt_type signed},
 * {@code auth_jwt_claim_set} / {@code auth_jwt_header_set}, and the {@code $jwt_claim_*} /
 * {@code $jwt_header_*} variables. Encrypted and nested tokens are refused at -t. Settings inherit
 * as nginx merges them: {@code auth_jwt_key_file}, {@code auth_jwt_key_request} and
 * {@code auth_jwt_require} as whole lists from the innermost level that has any.
 */
public final class AuthJwtModule implements ConfModule, HttpFeature {
    private static final List<String> OWN = List.of("auth_jwt", "auth_jwt_key_file", "auth_jwt_key_request", "auth_jwt_require",
            "auth_jwt_type");

    /** The keys of each auth_jwt_key_file named without variables, in the configuration being compiled. */
    private final Map<Directive, List<JwtKey>> keyFiles = new IdentityHashMap<>();
    /** Key files with variables as last read, and the auth_jwt_key_cache: for every configuration. */
    private final JwtKeySources.Shared shared = new JwtKeySources.Shared();

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_auth_jwt_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.single("auth_jwt", Arity.between(1, 2), HTTP, HTTP_SERVER, HTTP_LOCATION,
                HTTP_LIMIT_EXCEPT));
        r.register(DirectiveSpec.repeatable("auth_jwt_key_file", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION,
                HTTP_LIMIT_EXCEPT));
        r.register(DirectiveSpec.repeatable("auth_jwt_key_request", Arity.exactly(1), HTTP, HTTP_SERVER,
                HTTP_LOCATION, HTTP_LIMIT_EXCEPT));
        r.register(DirectiveSpec.single("auth_jwt_key_cache", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("auth_jwt_leeway", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("auth_jwt_type", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION,
                HTTP_LIMIT_EXCEPT));
        r.register(DirectiveSpec.repeatable("auth_jwt_require", Arity.atLeast(1), HTTP, HTTP_SERVER, HTTP_LOCATION,
                HTTP_LIMIT_EXCEPT));
        r.register(DirectiveSpec.repeatable("auth_jwt_claim_set", Arity.atLeast(2), HTTP));
        r.register(DirectiveSpec.repeatable("auth_jwt_header_set", Arity.atLeast(2), HTTP));
    }

    @Override
    public void defineVariables(VariableRegistry variables) {
        variables.definePrefix("jwt_claim_", name -> fromToken(JwtToken::claim, List.of(name)));
        variables.definePrefix("jwt_header_", name -> fromToken(JwtToken::header, List.of(name)));
    }

    private static Variable fromToken(BiFunction<JwtToken, List<String>, String> part, List<String> path) {
        return request -> {
            JwtToken token = request.attribute(JwtCheck.TOKEN);
            return token == null ? null : part.apply(token, path);
        };
    }

    /**
     * Checks every directive of the module wherever it stands (reading each key file), and defines
     * the variables of {@code auth_jwt_claim_set} and {@code auth_jwt_header_set}.
     */
    @Override
    public void configureHttp(CompileScope http) throws ConfigException {
        keyFiles.clear();
        check(http.scope().block(), http.config());
        for (Directive d : http.scope().block().directives()) {
            if (d.name().equals("auth_jwt_claim_set") || d.name().equals("auth_jwt_header_set")) {
                String arg = d.arg(0);
                if (arg.length() < 2 || arg.charAt(0) != '$') {
                    throw d.error("invalid variable name \"%s\"", arg);
                }
                String name = arg.substring(1);
                if (http.variables().isDefined(name)) {
                    throw d.error("the duplicate \"%s\" variable", name);
                }
                List<String> path = List.copyOf(d.args().subList(1, d.argCount()));
                http.variables().define(name, fromToken(
                        d.name().equals("auth_jwt_claim_set") ? JwtToken::claim : JwtToken::header, path));
            }
        }
    }

    private void check(Block block, ParsedConfig config) throws ConfigException {
        for (Directive d : block.directives()) {
            switch (d.name()) {
                case "auth_jwt" -> tokenVariable(d);
                case "auth_jwt_key_file" -> {
                    if (!ComplexValue.hasVariables(d.arg(0))) {
                        keyFiles.put(d, JwtKeyFile.load(d, confDir(config).resolve(d.arg(0)).normalize()));
                    }
                }
                case "auth_jwt_key_request" -> {
                    if (d.arg(0).isEmpty()) {
                        throw d.invalidValue(d.arg(0));
                    }
                }
                case "auth_jwt_key_cache" -> Values.timeMs(d, d.arg(0));
                case "auth_jwt_type" -> type(d);
                case "auth_jwt_leeway" -> Values.timeMs(d, d.arg(0));
                case "auth_jwt_require" -> requirement(d, null);
                default -> {
                }
            }
            if (d.hasBlock()) {
                check(d.block(), config);
            }
        }
    }

    private static void type(Directive d) throws ConfigException {
        switch (d.arg(0)) {
            case "signed" -> {
            }
            case "encrypted", "nested" -> throw d.error("\"auth_jwt_type %s\" is not supported: "
                    + "only signed tokens (JWS) are", d.arg(0));
            default -> throw d.invalidValue(d.arg(0));
        }
    }

    /** The variable of {@code token=}, or null for the Authorization header. */
    private static String tokenVariable(Directive d) throws ConfigException {
        if (d.argCount() < 2) {
            return null;
        }
        String variable = Values.param(d.arg(1), "token");
        if (variable == null) {
            throw d.error("invalid parameter \"%s\"", d.arg(1));
        }
        if (variable.length() < 2 || variable.charAt(0) != '$') {
            throw d.error("invalid variable name \"%s\"", variable);
        }
        return variable;
    }

    /** Where relative key files are: the configuration's directory, as for auth_basic_user_file. */
    private static Path confDir(ParsedConfig config) {
        return config.file() != null && config.file().getParent() != null ? config.file().getParent()
                : config.prefix();
    }

    /** An auth_jwt_require, its values compiled when {@code level} is given (else only checked). */
    private static JwtPolicy.Requirement requirement(Directive d, CompileScope level) throws ConfigException {
        List<String> args = d.args();
        int status = 401;
        String last = args.get(args.size() - 1);
        String error = Values.param(last, "error");
        if (error != null) {
            if (!error.equals("401") && !error.equals("403")) {
                throw d.error("invalid error code \"%s\"", error);
            }
            status = Integer.parseInt(error);
            args = args.subList(0, args.size() - 1);
            if (args.isEmpty()) {
                throw d.error("invalid number of arguments in \"auth_jwt_require\" directive");
            }
        }
        List<ComplexValue> values = new ArrayList<>();
        for (String arg : args) {
            if (!arg.startsWith("$")) {
                throw d.error("value \"%s\" of \"auth_jwt_require\" must start with a variable", arg);
            }
            if (level != null) {
                values.add(level.compile(d, arg));
            }
        }
        return new JwtPolicy.Requirement(List.copyOf(values), status);
    }

    @Override
    public List<AccessHandler> accessHandlers(CompileScope location) throws ConfigException {
        Scope scope = location.scope();
        JwtPolicy normal = policy(scope, location);
        Directive limit = scope.effectiveFirst("limit_except");
        if (limit == null || OWN.stream().allMatch(n -> limit.block().all(n).isEmpty())) {
            return normal == null ? List.of() : List.of(new JwtCheck(normal, null, Set.of()));
        }
        JwtPolicy restricted = policy(scope.child(HTTP_LIMIT_EXCEPT, limit.block()), location);
        if (normal == null && restricted == null) {
            return List.of();
        }
        return List.of(new JwtCheck(normal, restricted, HttpAccessFeature.freeMethods(limit)));
    }

    /** The policy at this level, or null when auth_jwt is off there. */
    private JwtPolicy policy(Scope scope, CompileScope location) throws ConfigException {
        Directive jwt = scope.effectiveFirst("auth_jwt");
        if (jwt == null || jwt.arg(0).equals("off")) {
            return null;
        }
        String variable = tokenVariable(jwt);
        ComplexValue token = variable == null ? null : location.compile(jwt, variable);
        List<JwtKey> fixed = new ArrayList<>();
        List<ComplexValue> files = new ArrayList<>();
        for (Directive d : scope.effective("auth_jwt_key_file")) {
            if (keyFiles.containsKey(d)) {
                fixed.addAll(keyFiles.get(d));
            } else {
                files.add(location.compile(d, d.arg(0)));
            }
        }
        List<ComplexValue> requests = new ArrayList<>();
        for (Directive d : scope.effective("auth_jwt_key_request")) {
            requests.add(location.compile(d, d.arg(0)));
        }
        Directive cache = scope.effectiveFirst("auth_jwt_key_cache");
        JwtKeySources keys = new JwtKeySources(fixed, files, confDir(location.config()), requests,
                cache == null ? 0 : Values.timeMs(cache, cache.arg(0)), shared);
        Directive leeway = scope.effectiveFirst("auth_jwt_leeway");
        long leewaySeconds = leeway == null ? 0 : Values.timeMs(leeway, leeway.arg(0)) / 1000;
        List<JwtPolicy.Requirement> requirements = new ArrayList<>();
        for (Directive d : scope.effective("auth_jwt_require")) {
            requirements.add(requirement(d, location));
        }
        return new JwtPolicy(location.compile(jwt, jwt.arg(0)), token, keys, leewaySeconds, List.copyOf(requirements));
    }
}
