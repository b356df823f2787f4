package io.zonesync.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits nginx-syntax text into statements, following nginx's tokenizer: whitespace separates
 * words; {@code ;} ends a directive, {@code {} opens a block and {@code }} closes one; {@code #}
 * at the start of a word comments out the rest of the line; single or double quotes make one word
 * of everything up to the matching quote, after which only whitespace, {@code ;}, {@code {} or
 * {@code )} (the end of an {@code if} condition, a word of its own) may follow; a backslash protects the next character, and
 * {@code \" \' \\ \t \r \n} are unescaped (any other escape is kept as written); inside
 * {@code ${...}} a brace does not end the word. A NUL byte in a word is refused: no path, name or
 * value can hold one.
 */
final class Lexer {

    /** What ended a statement. */
    enum End { SEMICOLON, BLOCK_START, BLOCK_END, EOF }

    /** The words of one statement, where its first word stands, and what ended it. */
    record Statement(List<String> words, int line, int endLine, End end) {
    }

    private final String text;
    private final String file;
    /** Text from the command line (-g) has no lines to speak of. */
    private final boolean lineless;
    private int pos;
    private int line = 1;

    Lexer(String text, String file) {
        this.text = text;
        this.file = file;
        this.lineless = file.equals(SourceLocation.COMMAND_LINE.file());
    }

    /** The next statement; words may be empty for a bare "}" or the end of the text. */
    Statement next() throws ConfigException {
        Statement st = read();
        return lineless ? new Statement(st.words(), 0, 0, st.end()) : st;
    }

    private Statement read() throws ConfigException {
        List<String> words = new ArrayList<>();
        int firstLine = -1;
        while (true) {
            skipSpace();
            if (pos >= text.length()) {
                if (!words.isEmpty()) {
                    throw error("unexpected end of file, expecting \";\" or \"}\"");
                }
                return new Statement(words, line, line, End.EOF);
            }
            char ch = text.charAt(pos);
            switch (ch) {
                case ';':
                    if (words.isEmpty()) {
                        throw error("unexpected \";\"");
                    }
                    pos++;
                    return new Statement(words, firstLine, line, End.SEMICOLON);
                case '{':
                    if (words.isEmpty()) {
                        throw error("unexpected \"{\"");
                    }
                    pos++;
                    return new Statement(words, firstLine, line, End.BLOCK_START);
                case '}':
                    if (!words.isEmpty()) {
                        throw error("unexpected \"}\"");
                    }
                    pos++;
                    return new Statement(words, line, line, End.BLOCK_END);
                case '#':
                    while (pos < text.length() && text.charAt(pos) != '\n') {
                        pos++;
                    }
                    break;
                default:
                    if (firstLine < 0) {
                        firstLine = line;
                    }
                    words.add(ch == '"' || ch == '\'' ? quoted(ch) : word());
            }
        }
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char ch = text.charAt(pos);
            if (ch == '\n') {
                line++;
            } else if (ch != ' ' && ch != '\t' && ch != '\r') {
                return;
            }
            pos++;
        }
    }

    private String word() throws ConfigException {
        int start = pos;
        boolean variable = false;
        while (pos < text.length()) {
            char ch = text.charAt(pos);
            if (ch == '{' && variable) {
                int close = text.indexOf('}', pos);
                if (close < 0) {
                    throw error("unexpected end of file, expecting \"}\"");
                }
                pos = close + 1;
                variable = false;
                continue;
            }
            variable = false;
            if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == ';' || ch == '{') {
                break;
            }
            if (ch == '\\') {
                pos += 2;
                continue;
            }
            if (ch == '$') {
                variable = true;
            }
            pos++;
        }
        pos = Math.min(pos, text.length());
        return unescape(raw(start, pos));
    }

    private String quoted(char quote) throws ConfigException {
        int startLine = line;
        int start = ++pos;
        while (pos < text.length()) {
            char ch = text.charAt(pos);
            if (ch == '\\' && pos + 1 < text.length()) {
                if (text.charAt(pos + 1) == '\n') {
                    line++;
                }
                pos += 2;
                continue;
            }
            if (ch == '\n') {
                line++;
            }
            if (ch == quote) {
                String value = unescape(raw(start, pos));
                pos++;
                if (pos < text.length()) {
                    char after = text.charAt(pos);
                    // as nginx: ")" may follow a closing quote, and starts a word of its own
                    if (!(after == ' ' || after == '\t' || after == '\r' || after == '\n' || after == ';'
                            || after == '{' || after == ')')) {
                        throw error("unexpected \"" + after + "\"");
                    }
                }
                return value;
            }
            pos++;
        }
        throw new ConfigException("unexpected end of file, expecting \"" + quote + "\"",
                new SourceLocation(file, lineless ? 0 : startLine));
    }

    private static String unescape(String raw) {
        if (raw.indexOf('\\') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char ch = raw.charAt(i);
            if (ch == '\\' && i + 1 < raw.length()) {
                char next = raw.charAt(i + 1);
                switch (next) {
                    case '"', '\'', '\\' -> {
                        out.append(next);
                        i++;
                        continue;
                    }
                    case 't' -> {
                        out.append('\t');
                        i++;
                        continue;
                    }
                    case 'r' -> {
                        out.append('\r');
                        i++;
                        continue;
                    }
                    case 'n' -> {
                        out.append('\n');
                        i++;
                        continue;
                    }
                    default -> {
                    }
                }
            }
            out.append(ch);
        }
        return out.toString();
    }

    SourceLocation here() {
        return new SourceLocation(file, lineless ? 0 : line);
    }

    /** The text of a word as written. */
    private String raw(int start, int end) throws ConfigException {
        String raw = text.substring(start, end);
        if (raw.indexOf('\0') >= 0) {
            throw error("unexpected NUL byte");
        }
        return raw;
    }

    private ConfigException error(String message) {
        return new ConfigException(message, here());
    }
}
