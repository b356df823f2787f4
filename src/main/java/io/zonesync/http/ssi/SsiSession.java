package io.zonesync.http.ssi;

import io.zonesync.http.vars.AttributeKey;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the SSI commands of one client request share across its includes, as nginx keeps it in
 * the main request: the variables {@code set} (and {@code include set=}, and a regular
 * expression's named captures) made, the numbered captures of the last match, and the
 * {@code block}s defined so far. Lives in an inherited attribute of the request, so an included
 * page's commands see and change the same. Event loop only.
 */
final class SsiSession {
    static final AttributeKey<SsiSession> KEY = AttributeKey.inherited("ssi session");

    private final Map<String, String> variables = new HashMap<>();
    private final List<Block> blocks = new ArrayList<>();
    private String[] captures = new String[0];

    /** One {@code block}: its name and the text it holds. */
    static final class Block {
        final String name;
        final ByteArrayOutputStream text = new ByteArrayOutputStream();

        Block(String name) {
            this.name = name;
        }
    }

    /** An SSI variable ({@code $1}..{@code $9} of the last match first), null when there is none. */
    String variable(String name) {
        if (name.length() == 1 && name.charAt(0) >= '0' && name.charAt(0) <= '9') {
            int n = name.charAt(0) - '0';
            if (n < captures.length) {
                return captures[n];
            }
        }
        return variables.get(name);
    }

    void set(String name, String value) {
        variables.put(name, value);
    }

    void captures(String[] groups) {
        captures = groups;
    }

    /** Starts a block; text outside the output goes to the latest block until another starts. */
    void startBlock(String name) {
        blocks.add(new Block(name));
    }

    /** The latest block, null before any. */
    Block lastBlock() {
        return blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
    }

    /** The first block of that name, null when none is defined yet. */
    Block block(String name) {
        for (Block b : blocks) {
            if (b.name.equals(name)) {
                return b;
            }
        }
        return null;
    }
}
