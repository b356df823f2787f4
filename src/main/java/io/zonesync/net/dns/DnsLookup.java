package io.zonesync.net.dns;

import java.util.concurrent.CompletionStage;

/**
 * Looks up the addresses of a name: the one thing discovery needs from DNS, kept this small so
 * tests can answer it by hand. {@link NettyDnsLookup} asks real name servers.
 */
public interface DnsLookup extends AutoCloseable {

    /**
     * Looks up {@code name}'s A and/or AAAA records (as configured). The stage never completes
     * exceptionally: a server that fails is reported as {@link FamilyAnswer.Outcome#FAILED}.
     */
    CompletionStage<DnsAnswer> lookup(String name);

    /**
     * Looks up {@code name}'s SRV records (a service name such as {@code _http._tcp.example.com}).
     * The stage never completes exceptionally.
     */
    CompletionStage<SrvAnswer> lookupSrv(String name);

    /** Where this lookup asks, for log messages (for example {@code "127.0.0.1:53, 127.0.0.2:53"}). */
    String describe();

    @Override
    void close();
}
