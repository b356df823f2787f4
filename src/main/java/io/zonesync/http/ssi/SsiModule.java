package io.zonesync.http.ssi;

import static io.zonesync.config.Context.HTTP;
import static io.zonesync.config.Context.HTTP_LOCATION;
import static io.zonesync.config.Context.HTTP_SERVER;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.config.Scope;
import io.zonesync.config.Values;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.HeaderFilter;
import io.zonesync.http.core.HttpFeature;
import io.zonesync.http.vars.VariableRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * nginx's SSI module: {@code ssi}, {@code ssi_types}, {@code ssi_silent_errors},
 * {@code ssi_value_length} and {@code ssi_last_modified}, compiled per location into an
 * {@link SsiFilter}, and the variables {@code $date_local} and {@code $date_gmt}; also
 * {@code subrequest_output_buffer_size} (4k by default), the most {@code include set=} keeps.
 * {@code ssi_min_file_chunk} and {@code ssi_ignore_recycled_buffers}, which tune how nginx sends
 * parts of files and reuses buffers, are refused: the processed body is always sent from memory.
 * Registered after sub_filter and before gzip, as in nginx's filter order.
 */
public final class SsiModule implements ConfModule, HttpFeature {

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_ssi_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.single("ssi", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("ssi_types", Arity.atLeast(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("ssi_silent_errors", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("ssi_value_length", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("ssi_last_modified", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
        // an http core directive in nginx; here only include set= keeps a subrequest's body in memory
        r.register(DirectiveSpec.single("subrequest_output_buffer_size", Arity.exactly(1), HTTP, HTTP_SERVER,
                HTTP_LOCATION));
        r.register(DirectiveSpec.single("ssi_min_file_chunk", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("ssi_ignore_recycled_buffers", Arity.FLAG, HTTP, HTTP_SERVER,
                HTTP_LOCATION));
    }

    @Override
    public void defineVariables(VariableRegistry variables) {
        variables.define("date_local", r -> date(r.attribute(SsiProcessor.TIMEFMT), r.nowMillis(), false));
        variables.define("date_gmt", r -> date(r.attribute(SsiProcessor.TIMEFMT), r.nowMillis(), true));
    }

    private static String date(String timefmt, long now, boolean gmt) {
        return Strftime.format(timefmt == null ? Strftime.DEFAULT : timefmt, now, gmt);
    }

    @Override
    public List<HeaderFilter> headerFilters(CompileScope location) throws ConfigException {
        Scope scope = location.scope();
        Directive chunk = scope.effectiveFirst("ssi_min_file_chunk");
        if (chunk != null) {
            throw chunk.error("\"ssi_min_file_chunk\" is not supported: ssi output is always sent from memory");
        }
        Directive recycled = scope.effectiveFirst("ssi_ignore_recycled_buffers");
        if (recycled != null) {
            throw recycled.error(
                    "\"ssi_ignore_recycled_buffers\" is not supported: ssi never reuses its input buffers");
        }
        int valueLength = intSize(scope.effectiveFirst("ssi_value_length"), 255);
        int setLimit = intSize(scope.effectiveFirst("subrequest_output_buffer_size"), 4096);
        List<String> types = new ArrayList<>(List.of("text/html"));
        Directive t = scope.effectiveFirst("ssi_types");
        if (t != null) {
            for (String type : t.args()) {
                types.add(type.toLowerCase(Locale.ROOT));
            }
        }
        Directive silent = scope.effectiveFirst("ssi_silent_errors");
        Directive lm = scope.effectiveFirst("ssi_last_modified");
        boolean silentErrors = silent != null && Values.flag(silent);
        boolean keepLastModified = lm != null && Values.flag(lm);
        Directive on = scope.effectiveFirst("ssi");
        if (on == null || !Values.flag(on)) {
            return List.of();
        }
        return List.of(new SsiFilter(types, silentErrors, valueLength, setLimit, keepLastModified));
    }

    /** A size directive's value, {@code otherwise} when it is absent. */
    private static int intSize(Directive d, int otherwise) throws ConfigException {
        if (d == null) {
            return otherwise;
        }
        long n = Values.size(d, d.arg(0));
        if (n > Integer.MAX_VALUE) {
            throw d.invalidValue(d.arg(0));
        }
        return (int) n;
    }
}
