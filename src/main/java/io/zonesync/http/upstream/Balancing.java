package io.zonesync.http.upstream;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import java.util.Set;

/**
 * How an upstream block chooses its servers, as written: nginx's weighted round robin (the
 * default), {@code least_conn}, NGINX Plus's {@code least_time header|last_byte [inflight]},
 * {@code ip_hash}, {@code hash KEY [consistent]} and {@code random [two [least_conn]]}. Immutable.
 */
public sealed interface Balancing {

    /** The directives that set a method. */
    Set<String> DIRECTIVES = Set.of("least_conn", "least_time", "ip_hash", "hash", "random");

    /** Whether {@code backup} servers may follow this method's directive (nginx's flags). */
    boolean allowsBackup();

    /** Whether servers may have {@code slow_start} (not with the hash methods and random, as NGINX Plus). */
    default boolean allowsSlowStart() {
        return allowsBackup();
    }

    record RoundRobin() implements Balancing {
        @Override
        public boolean allowsBackup() {
            return true;
        }
    }

    record LeastConn() implements Balancing {
        @Override
        public boolean allowsBackup() {
            return true;
        }
    }

    /**
     * @param lastByte rank by the time to the whole response, else to its header
     * @param inflight requests still in progress count with the time they have taken so far
     */
    record LeastTime(boolean lastByte, boolean inflight) implements Balancing {
        @Override
        public boolean allowsBackup() {
            return true;
        }
    }

    record IpHash() implements Balancing {
        @Override
        public boolean allowsBackup() {
            return false;
        }
    }

    /** @param key the key as written (a complex value, compiled with the configuration's variables) */
    record Hash(String key, boolean consistent, Directive directive) implements Balancing {
        @Override
        public boolean allowsBackup() {
            return false;
        }
    }

    /** @param two pick two servers at random, then the one with fewer connections for their weight */
    record Random(boolean two) implements Balancing {
        @Override
        public boolean allowsBackup() {
            return false;
        }
    }

    /**
     * The method a directive of {@link #DIRECTIVES} sets (its number of arguments already checked),
     * with nginx's errors for its parameters.
     */
    static Balancing parse(Directive d) throws ConfigException {
        switch (d.name()) {
            case "least_conn" -> {
                return new LeastConn();
            }
            case "ip_hash" -> {
                return new IpHash();
            }
            case "least_time" -> {
                if (!d.arg(0).equals("header") && !d.arg(0).equals("last_byte")) {
                    throw d.error("invalid parameter \"%s\"", d.arg(0));
                }
                if (d.argCount() == 2 && !d.arg(1).equals("inflight")) {
                    throw d.error("invalid parameter \"%s\"", d.arg(1));
                }
                return new LeastTime(d.arg(0).equals("last_byte"), d.argCount() == 2);
            }
            case "hash" -> {
                if (d.argCount() == 2 && !d.arg(1).equals("consistent")) {
                    throw d.error("invalid parameter \"%s\"", d.arg(1));
                }
                return new Hash(d.arg(0), d.argCount() == 2, d);
            }
            default -> {
                if (d.argCount() >= 1 && !d.arg(0).equals("two")) {
                    throw d.error("invalid parameter \"%s\"", d.arg(0));
                }
                if (d.argCount() == 2 && !d.arg(1).equals("least_conn")) {
                    throw d.error("invalid parameter \"%s\"", d.arg(1));
                }
                return new Random(d.argCount() >= 1);
            }
        }
    }
}
