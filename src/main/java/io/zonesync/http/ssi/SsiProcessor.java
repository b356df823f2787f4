package io.zonesync.http.ssi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.zonesync.http.core.BodyFilter;
import io.zonesync.http.core.BodyOutput;
import io.zonesync.http.core.Captures;
import io.zonesync.http.core.HeaderFilter;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.NginxRegex;
import io.zonesync.http.core.Subrequest;
import io.zonesync.http.core.SubrequestResult;
import io.zonesync.http.vars.AttributeKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSI processing of one response body (nginx's per-request SSI context): parses the body as it
 * comes ({@link SsiParser}), writes its text, runs its commands ({@code include}, {@code echo},
 * {@code set}, {@code config}, {@code if}/{@code elif}/{@code else}/{@code endif},
 * {@code block}/{@code endblock}) and puts each include's body, a subrequest's, in its place
 * ({@link OrderedOutput}). An include that is waited for ({@code wait="yes"}, {@code file=},
 * {@code set=}) holds the parsing of the rest until it is done. A failed command writes the
 * {@code config errmsg} text unless {@code ssi_silent_errors} is on. Event loop only.
 */
final class SsiProcessor implements BodyFilter {
    private static final Logger LOG = LoggerFactory.getLogger(SsiProcessor.class);

    /** The {@code config timefmt} of a response, for {@code $date_local} and {@code $date_gmt}. */
    static final AttributeKey<String> TIMEFMT = AttributeKey.named("ssi timefmt");

    /** How much a page may hold back (behind a running include, or waiting) before its source pauses. */
    static final int HOLD_LIMIT = 64 * 1024;

    private static final String DEFAULT_ERRMSG = "[an error occurred while processing the directive]";
    private static final int MAX_PARAMS = 16;
    private static final int IN_IF = 1;
    private static final int IN_ELSE = 2;

    /** A command: its parameters (the mandatory ones marked), and how it stands to if and block. */
    private record Spec(Set<String> params, Set<String> mandatory, int conditional, boolean block) {
    }

    private static final Map<String, Spec> COMMANDS = Map.of(
            "include", new Spec(Set.of("virtual", "file", "wait", "set", "stub"), Set.of(), 0, false),
            "echo", new Spec(Set.of("var", "default", "encoding"), Set.of("var"), 0, false),
            "config", new Spec(Set.of("errmsg", "timefmt"), Set.of(), 0, false),
            "set", new Spec(Set.of("var", "value"), Set.of("var", "value"), 0, false),
            "if", new Spec(Set.of("expr"), Set.of("expr"), 0, false),
            "elif", new Spec(Set.of("expr"), Set.of("expr"), IN_IF, false),
            "else", new Spec(Set.of(), Set.of(), IN_IF, false),
            "endif", new Spec(Set.of(), Set.of(), IN_ELSE, false),
            "block", new Spec(Set.of("name"), Set.of("name"), 0, false),
            "endblock", new Spec(Set.of(), Set.of(), 0, true));

    private enum Encoding { NONE, URL, ENTITY }

    private final HttpExchange ex;
    private final boolean silentErrors;
    /** {@code subrequest_output_buffer_size}: the most of a body {@code include set=} keeps. */
    private final int setLimit;
    private final SsiParser parser;
    private final SsiSession session;
    private final ArrayDeque<ByteBuf> input = new ArrayDeque<>();
    /** The body's source, paused until the page holds back less ({@link #whenFlowing}). */
    private final List<Runnable> flowWaiters = new ArrayList<>();
    private OrderedOutput output;
    private boolean inputEnded;
    private boolean waiting;
    private boolean pumping;
    private boolean done;

    // nginx's per-request SSI state
    private boolean outputOn = true;
    private boolean outputChosen;
    private int conditional;
    private boolean inBlock;
    private Encoding encoding = Encoding.ENTITY;
    private byte[] errmsg = DEFAULT_ERRMSG.getBytes(StandardCharsets.UTF_8);

    SsiProcessor(HttpExchange ex, boolean silentErrors, int valueLength, int setLimit) {
        this.ex = ex;
        this.silentErrors = silentErrors;
        this.setLimit = setLimit;
        this.parser = new SsiParser(valueLength);
        SsiSession s = ex.attribute(SsiSession.KEY);
        if (s == null) {
            s = new SsiSession();
            ex.setAttribute(SsiSession.KEY, s);
        }
        this.session = s;
    }

    @Override
    public void open(BodyOutput out) {
        output = new OrderedOutput(out, this::flowIfReleased);
    }

    @Override
    public boolean holdsBack() {
        if (done) {
            return false;
        }
        if (output != null && output.heldBytes() > HOLD_LIMIT) {
            return true;
        }
        long pending = 0;
        for (ByteBuf b : input) {
            pending += b.readableBytes();
        }
        return pending > HOLD_LIMIT;
    }

    @Override
    public void whenFlowing(Runnable task) {
        if (holdsBack()) {
            flowWaiters.add(task);
        } else {
            task.run();
        }
    }

    /** Lets the paused source go on once the page holds back little enough. */
    private void flowIfReleased() {
        if (!flowWaiters.isEmpty() && !holdsBack()) {
            List<Runnable> run = new ArrayList<>(flowWaiters);
            flowWaiters.clear();
            run.forEach(Runnable::run);
        }
    }

    @Override
    public void write(ByteBuf piece) {
        if (done) {
            piece.release();
            return;
        }
        input.add(piece);
        pump();
    }

    @Override
    public void end() {
        inputEnded = true;
        pump();
    }

    @Override
    public void close() {
        done = true;
        input.forEach(ByteBuf::release);
        input.clear();
        if (output != null) {
            output.release();
        }
        flowIfReleased();
    }

    /** Parses what came, command by command, until it is used up or an include is waited for. */
    private void pump() {
        if (pumping) {
            return;
        }
        pumping = true;
        try {
            while (!waiting && !done && !input.isEmpty()) {
                ByteBuf head = input.peek();
                Object event = parser.next(head, this::text);
                if (!head.isReadable()) {
                    input.poll().release();
                }
                if (event instanceof SsiCommand c) {
                    run(c);
                } else if (event == SsiParser.MALFORMED) {
                    error("malformed SSI command");
                }
            }
            if (!waiting && !done && inputEnded && input.isEmpty()) {
                done = true;
                parser.finish();
                output.end();
            }
        } finally {
            pumping = false;
        }
        flowIfReleased();
    }

    /** Text of the page: output, or kept in the block being defined, or dropped (a branch not taken). */
    private void text(ByteBuf piece) {
        if (outputOn) {
            output.text(piece);
            return;
        }
        SsiSession.Block b = session.lastBlock();
        if (inBlock && b != null) {
            b.text.writeBytes(ByteBufUtil.getBytes(piece));
        }
        piece.release();
    }

    private void error(String why) {
        LOG.error(ex.errorLog(), "{} while sending response to client{}", why, ex.errorContext());
        if (!silentErrors) {
            output.text(Unpooled.wrappedBuffer(errmsg));
        }
    }

    private void run(SsiCommand c) {
        Spec spec = COMMANDS.get(c.name());
        if (spec == null) {
            if (outputOn) {
                error("invalid SSI command: \"" + c.name() + "\"");
            }
            return;
        }
        if (!outputOn && !spec.block()) {
            if (inBlock && session.lastBlock() != null) {
                session.lastBlock().text.writeBytes(c.text().getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (spec.conditional() == 0) {
                return;
            }
        }
        if (spec.conditional() != 0 && (conditional == 0 || conditional > spec.conditional())) {
            error("invalid context of SSI command: \"" + c.name() + "\"");
            return;
        }
        if (c.params().size() > MAX_PARAMS) {
            error("too many SSI command parameters: \"" + c.name() + "\"");
            return;
        }
        Map<String, String> params = new HashMap<>();
        for (SsiCommand.Param p : c.params()) {
            if (!spec.params().contains(p.key())) {
                error("invalid parameter name: \"" + p.key() + "\" in \"" + c.name() + "\" SSI command");
                return;
            }
            if (params.putIfAbsent(p.key(), p.value()) != null) {
                error("duplicate \"" + p.key() + "\" parameter in \"" + c.name() + "\" SSI command");
                return;
            }
        }
        for (String m : List.of("var", "value", "expr", "name")) {
            if (spec.mandatory().contains(m) && !params.containsKey(m)) {
                error("mandatory \"" + m + "\" parameter is absent in \"" + c.name() + "\" SSI command");
                return;
            }
        }
        try {
            switch (c.name()) {
                case "include" -> include(params);
                case "echo" -> echo(params);
                case "config" -> config(params);
                case "set" -> session.set(params.get("var").toLowerCase(Locale.ROOT),
                        evaluate(params.get("value"), null));
                case "if", "elif" -> condition(c.name(), params.get("expr"));
                case "else" -> {
                    outputOn = !outputChosen;
                    conditional = IN_ELSE;
                }
                case "endif" -> {
                    outputOn = true;
                    outputChosen = false;
                    conditional = 0;
                }
                case "block" -> {
                    session.startBlock(params.get("name"));
                    outputOn = false;
                    inBlock = true;
                }
                case "endblock" -> {
                    outputOn = true;
                    inBlock = false;
                }
                default -> throw new IllegalStateException(c.name());
            }
        } catch (SsiValues.Invalid e) {
            error(e.getMessage());
        }
    }

    private String evaluate(String text, String base) throws SsiValues.Invalid {
        return SsiValues.evaluate(text, this::lookup, base);
    }

    /** A variable as SSI reads it: its own variables first, then the request's. */
    private String lookup(String name) {
        String v = session.variable(name);
        return v != null ? v : ex.variable(name);
    }

    private void echo(Map<String, String> params) {
        String value = lookup(params.get("var").toLowerCase(Locale.ROOT));
        if (value == null) {
            value = params.getOrDefault("default", "(none)");
        }
        String enc = params.get("encoding");
        if (enc != null) {
            switch (enc) {
                case "none" -> encoding = Encoding.NONE;
                case "url" -> encoding = Encoding.URL;
                case "entity" -> encoding = Encoding.ENTITY;
                default -> LOG.error(ex.errorLog(),
                        "unknown encoding \"{}\" in the \"echo\" command while sending response to client{}", enc,
                        ex.errorContext());
            }
        }
        if (value.isEmpty()) {
            return;
        }
        String text = switch (encoding) {
            case URL -> SsiValues.url(value);
            case ENTITY -> SsiValues.entity(value);
            case NONE -> value;
        };
        output.text(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
    }

    private void config(Map<String, String> params) {
        String timefmt = params.get("timefmt");
        if (timefmt != null) {
            ex.setAttribute(TIMEFMT, timefmt);
        }
        String msg = params.get("errmsg");
        if (msg != null) {
            errmsg = msg.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** {@code if} and {@code elif}: nginx's expression forms. */
    private void condition(String command, String expr) throws SsiValues.Invalid {
        if (command.equals("if") && conditional != 0) {
            throw new SsiValues.Invalid("the \"if\" command inside the \"if\" command");
        }
        if (outputChosen) {
            outputOn = false;
            return;
        }
        boolean chosen = test(expr);
        outputOn = chosen;
        outputChosen = chosen;
        conditional = IN_IF;
    }

    /**
     * The value of an expression: a string (with variables) alone is true when not empty; else
     * {@code left = right}, {@code left != right}, with {@code /regex/} on the right for a match
     * whose captures become {@code $1}.. and whose named groups SSI variables.
     */
    private boolean test(String expr) throws SsiValues.Invalid {
        StringBuilder left = new StringBuilder();
        int p = 0;
        for (; p < expr.length(); p++) {
            char c = expr.charAt(p);
            if (c >= 'A' && c <= 'Z') {
                left.append((char) (c | 0x20));
            } else if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "${}_\"'".indexOf(c) >= 0) {
                left.append(c);
            } else {
                break;
            }
        }
        while (p < expr.length() && expr.charAt(p) == ' ') {
            p++;
        }
        String l = evaluate(left.toString(), null);
        if (p == expr.length()) {
            return !l.isEmpty();
        }
        boolean negative;
        if (expr.charAt(p) == '=') {
            negative = false;
            p++;
        } else if (expr.startsWith("!=", p)) {
            negative = true;
            p += 2;
        } else {
            throw new SsiValues.Invalid("invalid expression in \"" + expr + "\"");
        }
        while (p < expr.length() && expr.charAt(p) == ' ') {
            p++;
        }
        int last = expr.length();
        boolean matched;
        if (p < last - 1 && expr.charAt(p) == '/') {
            if (expr.charAt(last - 1) != '/') {
                throw new SsiValues.Invalid("invalid expression in \"" + expr + "\"");
            }
            matched = matches(evaluate(expr.substring(p + 1, last - 1), null), l);
        } else {
            if (p < last - 1 && expr.charAt(p) == '\\' && expr.charAt(p + 1) == '/') {
                p++;
            }
            matched = l.equals(evaluate(expr.substring(p), null));
        }
        return matched != negative;
    }

    private boolean matches(String regex, String subject) throws SsiValues.Invalid {
        NginxRegex re;
        try {
            re = NginxRegex.compile(regex, false);
        } catch (PatternSyntaxException e) {
            throw new SsiValues.Invalid(e.getDescription());
        }
        Matcher m = re.matcher(subject);
        if (!m.find()) {
            return false;
        }
        Captures captures = re.captures(m);
        session.captures(captures.groups());
        List<String> names = captures.names();
        for (int i = 1; i < names.size() && i < captures.groups().length; i++) {
            if (names.get(i) != null) {
                session.set(names.get(i).toLowerCase(Locale.ROOT), captures.groups()[i]);
            }
        }
        return true;
    }

    private void include(Map<String, String> params) throws SsiValues.Invalid {
        String virtual = params.get("virtual");
        String file = params.get("file");
        String set = params.get("set");
        String stub = params.get("stub");
        String waitParam = params.get("wait");
        if (virtual != null && file != null) {
            throw new SsiValues.Invalid("inclusion may be either virtual=\"" + virtual + "\" or file=\"" + file + "\"");
        }
        if (virtual == null && file == null) {
            throw new SsiValues.Invalid("no parameter in \"include\" SSI command");
        }
        if (set != null && stub != null) {
            throw new SsiValues.Invalid("\"set\" and \"stub\" cannot be used together in \"include\" SSI command");
        }
        boolean wait = false;
        if (waitParam != null) {
            if (virtual == null) {
                throw new SsiValues.Invalid("\"wait\" cannot be used with file=\"" + file + "\"");
            }
            if (waitParam.equalsIgnoreCase("yes")) {
                wait = true;
            } else if (!waitParam.equalsIgnoreCase("no")) {
                throw new SsiValues.Invalid("invalid value \"" + waitParam + "\" in the \"wait\" parameter");
            }
        }
        if (virtual == null) {
            virtual = file;
            wait = true;
        }
        String target = evaluate(virtual, ex.uri());
        String args = null;
        int q = target.indexOf('?');
        if (q >= 0) {
            args = target.substring(q + 1);
            target = target.substring(0, q);
        }
        if (unsafe(target)) {
            throw new SsiValues.Invalid("unsafe URI \"" + target + "\" was detected");
        }
        byte[] stubText = null;
        if (stub != null) {
            SsiSession.Block b = session.block(stub);
            if (b == null) {
                throw new SsiValues.Invalid("\"stub\"=\"" + stub + "\" for \"include\" not found");
            }
            stubText = b.text.toByteArray();
        }
        String setName = set == null ? null : set.toLowerCase(Locale.ROOT);
        if (setName != null) {
            session.set(setName, "");
        }
        Included sink = new Included(setName == null ? output.include() : null, stubText, setName,
                wait || setName != null);
        Subrequest request = new Subrequest("GET", target, args, null);
        if (sink.waited) {
            waiting = true;
            start(request, sink);
        } else {
            // as in nginx, an include not waited for runs after the page's text at hand is parsed
            ex.eventLoop().execute(() -> start(request, sink));
        }
    }

    private void start(Subrequest request, Included sink) {
        if (output.isClosed()) { // the response ended early
            return;
        }
        ex.subrequest(request, sink).whenComplete((r, e) -> sink.answered(r));
    }

    /** A path that climbs out of the root ({@code ..} as a segment), refused as nginx does. */
    private static boolean unsafe(String path) {
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where an include's body goes: its place in the output, or (with {@code stub}) held until
     * its status says whether the body or the stub goes there, or (with {@code set}) kept for the
     * variable. Settled once the body has ended and the status is known, in either order.
     */
    private final class Included implements BodyOutput {
        private final OrderedOutput.Include place;
        private final byte[] stub;
        private final String variable;
        private final boolean waited;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private boolean ended;
        private int status = -1;
        private SubrequestResult result;
        private boolean settled;

        Included(OrderedOutput.Include place, byte[] stub, String variable, boolean waited) {
            this.place = place;
            this.stub = stub;
            this.variable = variable;
            this.waited = waited;
        }

        @Override
        public void write(ByteBuf piece) {
            try {
                if (stub == null && variable == null) {
                    place.write(piece.retain());
                } else if (!settled) {
                    kept.writeBytes(ByteBufUtil.getBytes(piece));
                    if (variable != null && kept.size() > setLimit) {
                        LOG.error(ex.errorLog(), "too big subrequest response: {} while sending response to client{}",
                                kept.size(), ex.errorContext());
                        settled = true;
                        abort();
                    }
                }
            } finally {
                piece.release();
            }
        }

        @Override
        public void end() {
            ended = true;
            settle();
        }

        @Override
        public void abort() {
            settled = true;
            done = true;
            output.abort();
        }

        void answered(SubrequestResult r) {
            result = r;
            status = r == null ? 500 : r.status();
            settle();
        }

        private void settle() {
            if (settled || !ended || status < 0) {
                return;
            }
            settled = true;
            if (variable != null) {
                session.set(variable, status < 300 ? kept.toString(StandardCharsets.UTF_8) : "");
            } else if (stub != null && (kept.size() == 0 || status >= 300 && !fromUpstream())) {
                writeStub();
            } else {
                if (stub != null) {
                    place.write(Unpooled.wrappedBuffer(kept.toByteArray()));
                }
                place.finish();
            }
            if (waited) {
                waiting = false;
                pump();
            }
        }

        /** Whether an upstream gave the answer (its error response is the body, as any other). */
        private boolean fromUpstream() {
            return result != null && result.exchange() != null && result.exchange().variable("upstream_addr") != null;
        }

        /**
         * The stub in the include's place, processed as nginx outputs it: in the included request,
         * with its location's SSI settings when it has SSI on.
         */
        private void writeStub() {
            HttpExchange sub = result == null ? null : result.exchange();
            SsiFilter ssi = null;
            if (sub != null && sub.location() != null) {
                for (HeaderFilter f : sub.location().headerFilters()) {
                    if (f instanceof SsiFilter s) {
                        ssi = s;
                    }
                }
            }
            if (ssi == null) {
                place.write(Unpooled.wrappedBuffer(stub));
                place.finish();
                return;
            }
            SsiProcessor inside = new SsiProcessor(sub, ssi.silentErrors(), ssi.valueLength(), ssi.setLimit());
            inside.open(new BodyOutput() {
                @Override
                public void write(ByteBuf piece) {
                    place.write(piece);
                }

                @Override
                public void end() {
                    place.finish();
                }

                @Override
                public void abort() {
                    output.abort();
                }
            });
            inside.write(Unpooled.wrappedBuffer(stub));
            inside.end();
        }
    }
}
