package io.zonesync.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The use order keeps entries oldest first through adds, moves, inserts in place and removals. */
class UseOrderTest {
    private static final class Item extends UseOrder.Entry<Item> {
        final String name;

        Item(String name) {
            this.name = name;
        }
    }

    private final UseOrder<Item> order = new UseOrder<>();
    private final Item a = new Item("a");
    private final Item b = new Item("b");
    private final Item c = new Item("c");

    private List<String> oldestFirst() {
        List<String> out = new ArrayList<>();
        for (Item i = order.oldest(); i != null; i = order.newer(i)) {
            out.add(i.name);
        }
        List<String> back = new ArrayList<>();
        for (Item i = order.newest(); i != null; i = order.older(i)) {
            back.add(0, i.name);
        }
        assertThat(back).as("the links agree both ways").isEqualTo(out);
        return out;
    }

    @Test
    void entriesAreKeptOldestFirst() {
        order.addNewest(a);
        order.addNewest(b);
        order.addNewest(c);
        assertThat(oldestFirst()).containsExactly("a", "b", "c");
        order.moveToNewest(a);
        assertThat(oldestFirst()).containsExactly("b", "c", "a");
        order.remove(c);
        assertThat(oldestFirst()).containsExactly("b", "a");
        assertThat(order.contains(c)).isFalse();
        order.insertAfter(null, c);
        assertThat(oldestFirst()).containsExactly("c", "b", "a");
        order.remove(a);
        order.insertAfter(c, a);
        assertThat(oldestFirst()).containsExactly("c", "a", "b");
        order.remove(c);
        order.remove(a);
        order.remove(b);
        order.remove(b); // not in the list: nothing happens
        assertThat(oldestFirst()).isEmpty();
        assertThat(order.oldest()).isNull();
    }

    @Test
    void anEntryIsInTheListOnce() {
        order.addNewest(a);
        assertThatThrownBy(() -> order.addNewest(a)).isInstanceOf(IllegalStateException.class);
    }
}
