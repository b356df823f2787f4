package io.zonesync.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * nginx-syntax parser: {@code #} comments, single and double quotes with escapes, {@code ${var}}
 * kept intact, blocks, and {@code include} (with globs) expanded in place. Every directive carries
 * FILE:LINE. Errors use nginx's wording ({@code unexpected "}"}, {@code unexpected end of file,
 * expecting "}"}, {@code unexpected end of parameter, expecting ";"}, ...).
 *
 * <p>As in nginx, an {@code include} path is relative to the directory of the main configuration
 * file, while other relative paths (logs, pid, state files) resolve against the prefix
 * ({@link ParsedConfig#resolve}).
 */
public final class ConfigParser {
    /** Includes nested deeper than this are taken for a loop. */
    static final int MAX_INCLUDE_DEPTH = 32;
    /**
     * Blocks nested deeper than this are refused, counted across includes: far beyond any real
     * configuration, and well within the stack the parser and the compilers recurse on.
     */
    static final int MAX_BLOCK_DEPTH = 100;

    private final Path includeBase;
    private final List<ConfigSource> sources = new ArrayList<>();
    private int blockDepth;

    private ConfigParser(Path includeBase) {
        this.includeBase = includeBase;
    }

    /**
     * Parses a file. {@code prefix} is what relative paths (state files, logs, pid) resolve
     * against. {@code globalDirectives} is the text of {@code -g} (may be null), parsed as
     * directives of the main context located at "command line", and placed before the file's.
     */
    public static ParsedConfig parseFile(Path file, Path prefix, String globalDirectives) throws ConfigException {
        Path abs = file.toAbsolutePath().normalize();
        Path dir = abs.getParent() == null ? Path.of("/") : abs.getParent();
        ConfigParser parser = new ConfigParser(dir);
        List<Directive> all = new ArrayList<>();
        if (globalDirectives != null && !globalDirectives.isBlank()) {
            all.addAll(parser.parseText(globalDirectives, SourceLocation.COMMAND_LINE.file(), 0));
        }
        all.addAll(parser.parseIncluded(abs, null, 0));
        return new ParsedConfig(abs, prefix.toAbsolutePath().normalize(), new Block(all), parser.sources);
    }

    /** Parses text (tests); includes resolve against the current directory. */
    public static Block parseString(String text, String sourceName) throws ConfigException {
        ConfigParser parser = new ConfigParser(Path.of("").toAbsolutePath());
        return new Block(parser.parseText(text, sourceName, 0));
    }

    private List<Directive> parseText(String text, String name, int depth) throws ConfigException {
        Lexer lexer = new Lexer(text, name);
        List<Directive> directives = parseBlock(lexer, false, depth);
        return directives;
    }

    private List<Directive> parseBlock(Lexer lexer, boolean inBlock, int depth) throws ConfigException {
        List<Directive> out = new ArrayList<>();
        while (true) {
            Lexer.Statement st = lexer.next();
            switch (st.end()) {
                case EOF -> {
                    if (inBlock) {
                        throw new ConfigException("unexpected end of file, expecting \"}\"", lexer.here());
                    }
                    return out;
                }
                case BLOCK_END -> {
                    if (!inBlock) {
                        throw new ConfigException("unexpected \"}\"", lexer.here());
                    }
                    return out;
                }
                case SEMICOLON -> {
                    SourceLocation where = new SourceLocation(lexer.here().file(), st.line());
                    String name = st.words().get(0);
                    List<String> args = st.words().subList(1, st.words().size());
                    if (name.equals("include")) {
                        out.addAll(include(args, where, depth));
                    } else {
                        out.add(new Directive(name, args, where, null));
                    }
                }
                case BLOCK_START -> {
                    SourceLocation where = new SourceLocation(lexer.here().file(), st.line());
                    if (blockDepth >= MAX_BLOCK_DEPTH) {
                        throw new ConfigException("blocks are nested deeper than " + MAX_BLOCK_DEPTH + " levels", where);
                    }
                    blockDepth++;
                    List<Directive> inner = parseBlock(lexer, true, depth);
                    blockDepth--;
                    out.add(new Directive(st.words().get(0), st.words().subList(1, st.words().size()), where,
                            new Block(inner)));
                }
                default -> throw new IllegalStateException(st.end().toString());
            }
        }
    }

    private List<Directive> include(List<String> args, SourceLocation where, int depth) throws ConfigException {
        if (args.size() != 1) {
            throw new ConfigException("invalid number of arguments in \"include\" directive", where);
        }
        if (depth >= MAX_INCLUDE_DEPTH) {
            throw new ConfigException("include nesting is deeper than " + MAX_INCLUDE_DEPTH
                    + " levels (an include loop?) while including \"" + args.get(0) + "\"", where);
        }
        String pattern = args.get(0);
        Path target = includeBase.resolve(pattern).normalize();
        List<Directive> out = new ArrayList<>();
        if (!hasGlob(pattern)) {
            out.addAll(parseIncluded(target, where, depth + 1));
            return out;
        }
        for (Path p : glob(target, where)) {
            out.addAll(parseIncluded(p, where, depth + 1));
        }
        return out;
    }

    private List<Directive> parseIncluded(Path file, SourceLocation includedFrom, int depth) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("open() \"" + file + "\" failed (2: No such file or directory)", includedFrom);
        } catch (IOException e) {
            throw new ConfigException("open() \"" + file + "\" failed (" + e.getMessage() + ")", includedFrom, e);
        }
        sources.add(new ConfigSource(file.toString(), text));
        return parseText(text, file.toString(), depth);
    }

    private static boolean hasGlob(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0 || pattern.indexOf('[') >= 0;
    }

    /** Files matching a glob in its last path element, sorted by name as nginx does; none is fine. */
    private static List<Path> glob(Path target, SourceLocation where) throws ConfigException {
        Path dir = target.getParent();
        String namePattern = target.getFileName().toString();
        if (dir == null || hasGlob(dir.toString())) {
            throw new ConfigException("include pattern \"" + target
                    + "\" may use wildcards in its last path element only", where);
        }
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, namePattern)) {
            for (Path p : stream) {
                if (!Files.isDirectory(p) && !p.getFileName().toString().startsWith(".")) {
                    found.add(p);
                }
            }
        } catch (IOException e) {
            throw new ConfigException("glob() \"" + target + "\" failed (" + e.getMessage() + ")", where, e);
        } catch (PatternSyntaxException e) {
            throw new ConfigException("glob() \"" + target + "\" failed (" + e.getDescription() + ")", where, e);
        }
        found.sort(null);
        return found;
    }
}
