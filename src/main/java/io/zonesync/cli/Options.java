package io.zonesync.cli;

/**
 * The command line, read the way nginx reads its own: flags may be bundled ({@code -tq}), an
 * option's value may be attached ({@code -squit}, {@code -c/etc/x.conf}) or be the next word, a
 * repeated option's last value wins, and anything else is an error with nginx's wording.
 */
public record Options(boolean help, boolean version, boolean buildInfo, boolean test, boolean dump, boolean quiet,
        NodeSignal signal, String prefix, String errorLog, String confFile, String globals) {

    /** Reads the arguments (without the program name). */
    public static Options parse(String... args) throws UsageException {
        Builder b = new Builder();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-")) {
                throw new UsageException("invalid option: \"" + arg + "\"");
            }
            int p = 1;
            flags:
            while (p < arg.length()) {
                char c = arg.charAt(p++);
                switch (c) {
                    case '?', 'h' -> {
                        b.help = true;
                        b.version = true;
                    }
                    case 'v' -> b.version = true;
                    case 'V' -> {
                        b.version = true;
                        b.buildInfo = true;
                    }
                    case 't' -> b.test = true;
                    case 'T' -> {
                        b.test = true;
                        b.dump = true;
                    }
                    case 'q' -> b.quiet = true;
                    case 'p', 'e', 'c', 'g', 's' -> {
                        String value;
                        if (p < arg.length()) {
                            value = arg.substring(p);
                        } else if (i + 1 < args.length) {
                            value = args[++i];
                        } else {
                            throw new UsageException("option \"-" + c + "\" requires " + valueName(c));
                        }
                        b.set(c, value);
                        break flags;
                    }
                    default -> throw new UsageException("invalid option: \"" + c + "\"");
                }
            }
        }
        return new Options(b.help, b.version, b.buildInfo, b.test, b.dump, b.quiet, b.signal, b.prefix, b.errorLog,
                b.confFile, b.globals);
    }

    private static String valueName(char option) {
        return switch (option) {
            case 'p' -> "directory name";
            case 'e', 'c' -> "file name";
            default -> "parameter";
        };
    }

    private static final class Builder {
        boolean help;
        boolean version;
        boolean buildInfo;
        boolean test;
        boolean dump;
        boolean quiet;
        NodeSignal signal;
        String prefix;
        String errorLog;
        String confFile;
        String globals;

        void set(char option, String value) throws UsageException {
            switch (option) {
                case 'p' -> prefix = value;
                case 'e' -> errorLog = value;
                case 'c' -> confFile = value;
                case 'g' -> globals = value;
                default -> signal = NodeSignal.byCommand(value)
                        .orElseThrow(() -> new UsageException("invalid option: \"-s " + value + "\""));
            }
        }
    }

    /** A command line nginx would refuse; the message is what follows {@code zonesync: }. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }
}
