package io.zonesync.stream.splitclients;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Context;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.http.splitclients.SplitClientsModule;
import io.zonesync.stream.core.DeclaredVariable;
import io.zonesync.stream.core.StreamCompile;
import io.zonesync.stream.core.StreamFeature;
import io.zonesync.stream.core.StreamSession;
import io.zonesync.stream.core.StreamValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx's stream split_clients module: {@code split_clients STRING $variable { 10% a; * b; }} gives
 * the variable the (plain) value of the part the MurmurHash2 of STRING falls in, computed as http's
 * split_clients computes it (and nginx), so a client lands in the same part with either server.
 */
public final class StreamSplitClientsModule implements ConfModule, StreamFeature {
    /** The blocks of the configuration being compiled: one feature per configuration. */
    private final List<Declared> declared = new ArrayList<>();

    private record Declared(Directive block, DeclaredVariable variable) {
    }

    /** One part: hashes below {@code bound} (0 for "*", the rest) get {@code value}. */
    private record Part(long bound, String value) {
    }

    private record Split(StreamValue source, List<Part> parts) {
        String value(StreamSession session) {
            long hash = SplitClientsModule.murmurHash2(source.evaluate(session).getBytes(StandardCharsets.UTF_8))
                    & 0xffffffffL;
            for (Part p : parts) {
                if (hash < p.bound() || p.bound() == 0) {
                    return p.value();
                }
            }
            return "";
        }
    }

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_stream_split_clients_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.block("split_clients", Arity.exactly(2), Context.OPAQUE, true, Context.STREAM));
    }

    @Override
    public void defineVariables(StreamCompile stream) throws ConfigException {
        for (Directive d : stream.scope().block().all("split_clients")) {
            declared.add(new Declared(d, DeclaredVariable.declare(stream.variables(), d, d.arg(1))));
        }
    }

    @Override
    public void finishVariables(StreamCompile stream) throws ConfigException {
        for (Declared d : declared) {
            StreamValue source = StreamValue.compile(d.block().arg(0), stream.variables(), d.block().where());
            d.variable().define(new Split(source, parts(d.block()))::value);
        }
    }

    private static List<Part> parts(Directive d) throws ConfigException {
        List<Part> parts = new ArrayList<>();
        long sum = 0;
        long last = 0;
        for (Directive p : d.block().directives()) {
            if (p.argCount() != 1) {
                throw p.error("invalid number of parameters");
            }
            if (p.name().equals("*")) {
                parts.add(new Part(0, p.arg(0)));
                continue;
            }
            long hundredths = SplitClientsModule.percent(p);
            sum += hundredths;
            if (sum > 10000) {
                throw p.error("percent total is greater than 100%%");
            }
            last += hundredths * 0xffffffffL / 10000;
            parts.add(new Part(last, p.arg(0)));
        }
        return parts;
    }
}
