package io.zonesync.config;

/** Where a token came from: a file (or "command line" for -g) and a 1-based line. */
public record SourceLocation(String file, int line) {
    public static final SourceLocation COMMAND_LINE = new SourceLocation("command line", 0);

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line : file;
    }
}
