package io.zonesync.http.splitclients;

import static io.zonesync.config.Context.HTTP;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Context;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.DeclaredVariable;
import io.zonesync.http.core.HttpFeature;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.RequestView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx's split_clients module: {@code split_clients STRING $variable { 10% a; 5.5% b; * c; }} gives
 * {@code $variable} the value (a plain string) of the part the MurmurHash2 of STRING falls in, as
 * nginx computes it,
 * so a client lands in the same group with either server. Declared like a map: the variable first,
 * the parts once every module's variables exist.
 */
public final class SplitClientsModule implements ConfModule, HttpFeature {

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_split_clients_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.block("split_clients", Arity.exactly(2), Context.OPAQUE, true, HTTP));
    }

    @Override
    public void configureHttp(CompileScope http) throws ConfigException {
        for (Directive d : http.scope().block().all("split_clients")) {
            DeclaredVariable.declare(http, d, d.arg(1));
        }
    }

    @Override
    public void finishHttp(CompileScope http) throws ConfigException {
        for (Directive d : http.scope().block().all("split_clients")) {
            DeclaredVariable.define(http, d, d.arg(1), new Split(http.compile(d, d.arg(0)), parts(d))::value);
        }
    }

    /** One part: the hashes below {@code bound} (0 for "*", the rest) get {@code value}. */
    record Part(long bound, ComplexValue value) {
    }

    private static List<Part> parts(Directive d) throws ConfigException {
        List<Part> parts = new ArrayList<>();
        long sum = 0;
        long last = 0;
        for (Directive p : d.block().directives()) {
            if (p.argCount() != 1) {
                throw p.error("invalid number of parameters");
            }
            ComplexValue value = ComplexValue.constant(p.arg(0)); // nginx's values are plain strings
            if (p.name().equals("*")) {
                parts.add(new Part(0, value));
                continue;
            }
            long hundredths = percent(p);
            sum += hundredths;
            if (sum > 10000) {
                throw p.error("percent total is greater than 100%%");
            }
            last += hundredths * 0xffffffffL / 10000;
            parts.add(new Part(last, value));
        }
        return parts;
    }

    /** {@code 12.34%} as 1234, nginx's two decimals. */
    public static long percent(Directive p) throws ConfigException {
        String n = p.name();
        if (!n.endsWith("%")) {
            throw p.error("invalid percent value \"%s\"", n);
        }
        String digits = n.substring(0, n.length() - 1);
        int dot = digits.indexOf('.');
        String whole = dot < 0 ? digits : digits.substring(0, dot);
        String fraction = dot < 0 ? "" : digits.substring(dot + 1);
        if (whole.isEmpty() || fraction.length() > 2 || !(whole + fraction).chars().allMatch(Character::isDigit)) {
            throw p.error("invalid percent value \"%s\"", n);
        }
        return Long.parseLong(whole) * 100 + (fraction.isEmpty() ? 0 : Long.parseLong((fraction + "0").substring(0, 2)));
    }

    /** One split_clients block: the string hashed and the parts it falls in. */
    record Split(ComplexValue source, List<Part> parts) {

        String value(RequestView request) {
            long hash = murmurHash2(source.evaluate(request).getBytes(StandardCharsets.UTF_8)) & 0xffffffffL;
            for (Part p : parts) {
                if (hash < p.bound() || p.bound() == 0) {
                    return p.value().evaluate(request);
                }
            }
            return "";
        }
    }

    /** nginx's MurmurHash2 (32-bit, seeded with the length). */
    public static int murmurHash2(byte[] data) {
        final int m = 0x5bd1e995;
        int len = data.length;
        int h = len;
        int i = 0;
        while (len >= 4) {
            int k = (data[i] & 0xff) | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16 | (data[i + 3] & 0xff) << 24;
            k *= m;
            k ^= k >>> 24;
            k *= m;
            h *= m;
            h ^= k;
            i += 4;
            len -= 4;
        }
        switch (len) {
            case 3:
                h ^= (data[i + 2] & 0xff) << 16;
                // fall through
            case 2:
                h ^= (data[i + 1] & 0xff) << 8;
                // fall through
            case 1:
                h ^= data[i] & 0xff;
                h *= m;
                break;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;
        return h;
    }
}
