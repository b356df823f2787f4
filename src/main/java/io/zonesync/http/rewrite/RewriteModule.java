package io.zonesync.http.rewrite;

import static io.zonesync.config.Context.HTTP;
import static io.zonesync.config.Context.HTTP_IF;
import static io.zonesync.config.Context.HTTP_LOCATION;
import static io.zonesync.config.Context.HTTP_SERVER;

import io.zonesync.config.Arity;
import io.zonesync.config.Block;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.config.Values;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.HttpFeature;
import io.zonesync.http.core.RequestVariables;
import io.zonesync.http.core.RewriteHandler;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.VariableRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx's rewrite module: {@code return}, {@code rewrite}, {@code set}, {@code if},
 * {@code break} and {@code rewrite_log}, compiled per level into the steps of the server-rewrite phase (server level) and
 * the rewrite phase (location level), in configuration order, not inherited by nested locations.
 * Inside {@code if} only these directives are allowed.
 */
public final class RewriteModule implements ConfModule, HttpFeature {
    private static final RewriteHandler BREAK = ex -> RewriteHandler.Outcome.BREAK;

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_rewrite_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.repeatable("return", Arity.between(1, 2), HTTP_SERVER, HTTP_LOCATION, HTTP_IF));
        r.register(DirectiveSpec.repeatable("rewrite", Arity.between(2, 3), HTTP_SERVER, HTTP_LOCATION, HTTP_IF));
        r.register(DirectiveSpec.repeatable("set", Arity.exactly(2), HTTP_SERVER, HTTP_LOCATION, HTTP_IF));
        r.register(DirectiveSpec.repeatable("break", Arity.NONE, HTTP_SERVER, HTTP_LOCATION, HTTP_IF));
        r.register(DirectiveSpec.block("if", Arity.atLeast(1), HTTP_IF, true, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("rewrite_log", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION, HTTP_IF));
        r.register(DirectiveSpec.single("uninitialized_variable_warn", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION,
                HTTP_IF));
    }

    /**
     * Declares every variable a {@code set} names and a {@code rewrite} captures by name, wherever
     * it stands, before anything uses one.
     */
    @Override
    public void configureHttp(CompileScope http) throws ConfigException {
        declare(http.scope().block(), new SetVariables(http.variables()));
    }

    private static void declare(Block block, SetVariables declared) throws ConfigException {
        for (Directive d : block.directives()) {
            if (d.name().equals("set")) {
                declared.declare(d);
            } else if (d.name().equals("rewrite")) {
                declared.declareGroups(d);
            } else if (d.hasBlock()) {
                declare(d.block(), declared);
            }
        }
    }

    @Override
    public List<RewriteHandler> rewriteHandlers(CompileScope level) throws ConfigException {
        Directive log = level.scope().effectiveFirst("rewrite_log");
        List<RewriteHandler> steps = steps(level.scope().block(), level.variables(), log != null && Values.flag(log));
        Directive warn = level.scope().effectiveFirst("uninitialized_variable_warn");
        if (warn != null && !level.scope().block().has("uninitialized_variable_warn")) {
            steps.add(0, warnStep(warn)); // inherited: in force before this level's own steps
        }
        return steps;
    }

    /** {@code uninitialized_variable_warn}: from here on in the request, whether reads of unset variables are logged. */
    private static RewriteHandler warnStep(Directive d) throws ConfigException {
        boolean warn = Values.flag(d);
        return ex -> {
            RequestVariables.warnUninitialized(ex, warn);
            return RewriteHandler.Outcome.NEXT;
        };
    }

    /** The rewrite directives of one block, in order, as steps. */
    private static List<RewriteHandler> steps(Block block, VariableRegistry variables, boolean log)
            throws ConfigException {
        List<RewriteHandler> steps = new ArrayList<>();
        for (Directive d : block.directives()) {
            switch (d.name()) {
                case "return" -> steps.add(ReturnAction.compile(d, variables));
                case "rewrite" -> steps.add(RewriteRule.compile(d, variables, log));
                case "set" -> steps.add(SetVariables.step(d, ComplexValue.compile(d.arg(1), variables, d.where())));
                case "break" -> steps.add(BREAK);
                case "uninitialized_variable_warn" -> steps.add(warnStep(d));
                case "if" -> steps.add(new IfBlock(IfCondition.parse(d, variables), steps(d.block(), variables,
                        d.block().has("rewrite_log") ? Values.flag(d.block().first("rewrite_log")) : log)));
                default -> {
                    // another module's directive
                }
            }
        }
        return steps;
    }
}
