package io.zonesync.bench;

import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * Benchmark-only Java agent for real node processes (bench/e2e, bench/scale): times the moment each
 * replicated keyval write is applied on a node, by adding {@link ArrivalLog#arrived} to the start
 * of {@code KeyvalZone.notifyRemote}, which a node calls once for every record from a peer that
 * changed its zone (a live push or a snapshot record). The node has no push or watch facility of
 * its own (the NGINX Plus API it follows has none), and polling the API would time the poll.
 * Started with {@code -javaagent:JAR=OUTPUT}; see {@link ArrivalLog} for what it writes.
 */
public final class ArrivalAgent {
    private ArrivalAgent() {
    }

    public static void premain(String output, Instrumentation instrumentation) {
        ArrivalLog.start(output);
        new AgentBuilder.Default()
                .disableClassFormatChanges()
                .type(ElementMatchers.named("io.zonesync.keyval.KeyvalZone"))
                .transform((builder, type, loader, module, domain) ->
                        builder.visit(Advice.to(NotifyRemoteAdvice.class).on(ElementMatchers.named("notifyRemote"))))
                .installOn(instrumentation);
    }

    /** The code woven into the start of {@code KeyvalZone.notifyRemote(String key)}. */
    public static final class NotifyRemoteAdvice {
        private NotifyRemoteAdvice() {
        }

        @Advice.OnMethodEnter
        public static void enter(@Advice.Argument(0) String key) {
            ArrivalLog.arrived(key);
        }
    }
}
