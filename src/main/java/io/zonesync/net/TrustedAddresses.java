package io.zonesync.net;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The addresses {@code set_real_ip_from} trusts to tell the client's: networks ({@code 10.0.0.0/8},
 * {@code 2001:db8::/32}), single addresses, the addresses a host name resolves to when the
 * configuration is read, and {@code unix:} for every UNIX-domain connection. An address matches a
 * network of its own family only, as in nginx.
 */
public record TrustedAddresses(List<Network> networks, boolean unix) {
    private static final Logger LOG = LoggerFactory.getLogger(TrustedAddresses.class);

    /** One network: its address bytes (4 or 16), host bits cleared, and its prefix length. */
    public record Network(byte[] address, int prefixLength) {
        boolean contains(byte[] candidate) {
            if (candidate.length != address.length) {
                return false;
            }
            byte[] masked = candidate.clone();
            mask(masked, prefixLength);
            return Arrays.equals(masked, address);
        }
    }

    public TrustedAddresses {
        networks = List.copyOf(networks);
    }

    /**
     * The addresses of directives naming one each ({@code set_real_ip_from} of a level, geo's
     * {@code proxy} lines): an address, a network, a host name, or {@code unix:}.
     */
    public static TrustedAddresses parse(List<Directive> directives) throws ConfigException {
        List<Network> networks = new ArrayList<>();
        boolean unix = false;
        for (Directive d : directives) {
            String text = d.arg(0);
            if (text.equals("unix:")) {
                unix = true;
                continue;
            }
            IpNetwork n = IpNetwork.parse(text);
            if (n != null) {
                int slash = text.indexOf('/');
                IpNetwork host = slash < 0 ? n : IpNetwork.parse(text.substring(0, slash));
                if (host != null && !Arrays.equals(host.address(), n.address())) {
                    LOG.warn("low address bits of {} are meaningless in {}", text, d.where());
                }
                networks.add(new Network(n.address(), n.prefixLength()));
                continue;
            }
            if (text.indexOf('/') >= 0 || text.startsWith("unix:")) {
                throw d.error("host not found in %s \"%s\"", d.name(), text);
            }
            try {
                for (InetAddress a : InetAddress.getAllByName(text)) {
                    networks.add(new Network(a.getAddress(), a.getAddress().length * 8));
                }
            } catch (UnknownHostException e) {
                throw d.error("host not found in %s \"%s\"", d.name(), text);
            }
        }
        return new TrustedAddresses(networks, unix);
    }

    public boolean isEmpty() {
        return networks.isEmpty() && !unix;
    }

    /** Whether a connection (or a proxy named in a header) at {@code peer} is trusted. */
    public boolean contains(SocketAddress peer) {
        if (!(peer instanceof InetSocketAddress inet)) {
            return unix;
        }
        InetAddress a = inet.getAddress();
        if (a == null) {
            return false;
        }
        byte[] bytes = a.getAddress();
        for (Network n : networks) {
            if (n.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    private static void mask(byte[] bytes, int length) {
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, length - i * 8));
            bytes[i] &= (byte) (0xFF << (8 - keep));
        }
    }
}
