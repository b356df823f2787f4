package io.zonesync.http.ssi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Finds SSI commands in a body that comes in pieces, cut anywhere: the text between commands goes
 * to a consumer as slices of the input, and each command is returned when its {@code -->} is read,
 * so that the caller can act on it (and stop) before the rest is parsed. The grammar is nginx's:
 * {@code <!--#}, optional blanks, a name of at most 32 bytes, then {@code key="value"} or
 * {@code key='value'} parameters (keys of at most 32 bytes, values of at most {@code valueLength},
 * a backslash keeping the next byte), then {@code -->}. A start of {@code <!--#} that turns out not
 * to be one is text; a command that breaks the grammar is skipped to its {@code -->} and reported as
 * {@link #MALFORMED}; a command, or a start of {@code <!--}, that the body ends inside is dropped.
 */
final class SsiParser {
    /** The result of a malformed command. */
    static final Object MALFORMED = new Object();

    private static final byte[] OPENING = "<!--".getBytes(StandardCharsets.US_ASCII);
    private static final int NAME_LENGTH = 32;
    private static final int KEY_LENGTH = 32;

    private enum State {
        TEXT, LT, BANG, DASH1, DASH2, PRE_NAME, NAME, PRE_PARAM, KEY, PRE_EQUAL, PRE_VALUE, DOUBLE_QUOTED,
        SINGLE_QUOTED, ESCAPED, POST_VALUE, END1, END2, BAD, BAD_END1, BAD_END2
    }

    private final int valueLength;
    private State state = State.TEXT;
    /** The bytes of {@code <!--} seen and not yet known to be text or a command. */
    private int held;
    private final StringBuilder name = new StringBuilder();
    private final StringBuilder key = new StringBuilder();
    private final ByteArrayOutputStream value = new ByteArrayOutputStream();
    private final List<SsiCommand.Param> params = new ArrayList<>();
    private State quoteState;

    SsiParser(int valueLength) {
        this.valueLength = valueLength;
    }

    /**
     * Parses {@code in} from its reader index: text goes to {@code text} (retained slices the
     * consumer must release), and the first command that ends is returned (an {@link SsiCommand} or
     * {@link #MALFORMED}) with the reader index just after it; null once {@code in} is used up.
     */
    Object next(ByteBuf in, Consumer<ByteBuf> text) {
        int i = in.readerIndex();
        int end = in.writerIndex();
        int textFrom = state == State.TEXT ? i : -1;
        while (i < end) {
            byte c = in.getByte(i);
            switch (state) {
                case TEXT -> {
                    int lt = in.indexOf(i, end, (byte) '<');
                    if (lt < 0) {
                        i = end;
                        continue;
                    }
                    emit(in, textFrom, lt, text);
                    textFrom = -1;
                    held = 1;
                    state = State.LT;
                    i = lt;
                }
                case LT, BANG, DASH1, DASH2 -> {
                    byte expected = state == State.DASH2 ? (byte) '#' : OPENING[held];
                    if (c == expected) {
                        if (state == State.DASH2) {
                            held = 0;
                            state = State.PRE_NAME;
                        } else {
                            held++;
                            state = state == State.LT ? State.BANG : state == State.BANG ? State.DASH1 : State.DASH2;
                        }
                    } else if (c == '<') {
                        text.accept(Unpooled.wrappedBuffer(OPENING, 0, held));
                        held = 1;
                        state = State.LT;
                    } else {
                        text.accept(Unpooled.wrappedBuffer(OPENING, 0, held));
                        held = 0;
                        state = State.TEXT;
                        textFrom = i;
                    }
                }
                case PRE_NAME -> {
                    if (!blank(c)) {
                        name.setLength(0);
                        name.append((char) (c & 0xff));
                        params.clear();
                        state = State.NAME;
                    }
                }
                case NAME -> {
                    if (blank(c)) {
                        state = State.PRE_PARAM;
                    } else if (c == '-') {
                        state = State.END1;
                    } else if (name.length() == NAME_LENGTH) {
                        state = State.BAD;
                    } else {
                        name.append((char) (c & 0xff));
                    }
                }
                case PRE_PARAM -> {
                    if (c == '-') {
                        state = State.END1;
                    } else if (!blank(c)) {
                        key.setLength(0);
                        key.append((char) (c & 0xff));
                        value.reset();
                        state = State.KEY;
                    }
                }
                case KEY -> {
                    if (blank(c)) {
                        state = State.PRE_EQUAL;
                    } else if (c == '=') {
                        state = State.PRE_VALUE;
                    } else if (c == '-') {
                        state = State.BAD_END1;
                    } else if (key.length() == KEY_LENGTH) {
                        state = State.BAD;
                    } else {
                        key.append((char) (c & 0xff));
                    }
                }
                case PRE_EQUAL -> {
                    if (c == '=') {
                        state = State.PRE_VALUE;
                    } else if (!blank(c)) {
                        state = c == '-' ? State.BAD_END1 : State.BAD;
                    }
                }
                case PRE_VALUE -> {
                    if (c == '"') {
                        state = State.DOUBLE_QUOTED;
                    } else if (c == '\'') {
                        state = State.SINGLE_QUOTED;
                    } else if (!blank(c)) {
                        state = c == '-' ? State.BAD_END1 : State.BAD;
                    }
                }
                case DOUBLE_QUOTED, SINGLE_QUOTED -> {
                    if (c == (state == State.DOUBLE_QUOTED ? '"' : '\'')) {
                        params.add(new SsiCommand.Param(key.toString(), value.toString(StandardCharsets.UTF_8)));
                        state = State.POST_VALUE;
                    } else {
                        if (c == '\\') {
                            quoteState = state;
                            state = State.ESCAPED;
                        }
                        addToValue(c);
                    }
                }
                case ESCAPED -> {
                    state = quoteState;
                    addToValue(c);
                }
                case POST_VALUE -> {
                    if (blank(c)) {
                        state = State.PRE_PARAM;
                    } else {
                        state = c == '-' ? State.END1 : State.BAD;
                    }
                }
                case END1 -> state = c == '-' ? State.END2 : State.BAD;
                case END2 -> {
                    if (c == '>') {
                        state = State.TEXT;
                        in.readerIndex(i + 1);
                        return new SsiCommand(name.toString(), params);
                    }
                    state = State.BAD;
                }
                case BAD -> {
                    if (c == '-') {
                        state = State.BAD_END1;
                    }
                }
                case BAD_END1 -> state = c == '-' ? State.BAD_END2 : State.BAD;
                case BAD_END2 -> {
                    if (c == '>') {
                        state = State.TEXT;
                        in.readerIndex(i + 1);
                        return MALFORMED;
                    }
                    state = State.BAD;
                }
                default -> throw new IllegalStateException(state.name());
            }
            i++;
        }
        if (state == State.TEXT) {
            emit(in, textFrom, end, text);
        }
        in.readerIndex(end);
        return null;
    }

    /** A value longer than allowed makes the command malformed. */
    private void addToValue(byte c) {
        if (value.size() == valueLength) {
            state = State.BAD;
        } else {
            value.write(c);
        }
    }

    /** The body ended: whatever is held, a start of {@code <!--} or a command cut short, is dropped, as nginx does. */
    void finish() {
        held = 0;
        state = State.TEXT;
    }

    private static void emit(ByteBuf in, int from, int to, Consumer<ByteBuf> text) {
        if (from >= 0 && to > from) {
            text.accept(in.retainedSlice(from, to - from));
        }
    }

    private static boolean blank(byte c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
