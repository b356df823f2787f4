package io.zonesync.zone;

/**
 * A zone's entries in the order of their last use, oldest first, for expiry and for making room:
 * an intrusive doubly linked list (each entry carries its own links), so moving an entry to the
 * newest end, removing it or finding the oldest costs no allocation and constant time. Not
 * thread-safe: the zone's lock guards it.
 *
 * @param <E> the zone's entry type, which extends {@link Entry}
 */
public final class UseOrder<E extends UseOrder.Entry<E>> {

    /** What an entry of a {@link UseOrder} carries: its neighbours. */
    public abstract static class Entry<E extends Entry<E>> {
        private E older;
        private E newer;
        private boolean linked;
    }

    private E oldest;
    private E newest;

    public E oldest() {
        return oldest;
    }

    public E newest() {
        return newest;
    }

    /** The entry used just before {@code e}, or null. */
    public E older(E e) {
        return n(e).older;
    }

    /** The entry used just after {@code e}, or null. */
    public E newer(E e) {
        return n(e).newer;
    }

    public boolean contains(E e) {
        return n(e).linked;
    }

    /** Adds {@code e} as the newest. */
    public void addNewest(E e) {
        insertAfter(newest, e);
    }

    /** Makes {@code e}, which is in the list, the newest. */
    public void moveToNewest(E e) {
        if (newest != e) {
            remove(e);
            addNewest(e);
        }
    }

    /** Adds {@code e} right after {@code before}, or as the oldest when {@code before} is null. */
    public void insertAfter(E before, E e) {
        if (n(e).linked) {
            throw new IllegalStateException("already in the list");
        }
        E after = before == null ? oldest : n(before).newer;
        n(e).older = before;
        n(e).newer = after;
        if (before == null) {
            oldest = e;
        } else {
            n(before).newer = e;
        }
        if (after == null) {
            newest = e;
        } else {
            n(after).older = e;
        }
        n(e).linked = true;
    }

    public void remove(E e) {
        if (!n(e).linked) {
            return;
        }
        if (n(e).older == null) {
            oldest = n(e).newer;
        } else {
            n(n(e).older).newer = n(e).newer;
        }
        if (n(e).newer == null) {
            newest = n(e).older;
        } else {
            n(n(e).newer).older = n(e).older;
        }
        n(e).older = null;
        n(e).newer = null;
        n(e).linked = false;
    }

    /** The entry as the list sees it: its links are the list's private business. */
    private static <E extends Entry<E>> Entry<E> n(E e) {
        return e;
    }
}
