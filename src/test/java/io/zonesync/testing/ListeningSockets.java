package io.zonesync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP ports a process listens on, read from Linux's /proc as {@code ss -ltnp} does: the socket
 * inodes among its file descriptors, matched against the listening sockets of /proc/PID/net/tcp
 * and tcp6 (IPv4-mapped addresses included). How a test finds the ports a node process bound for
 * {@code listen ...:0}.
 */
public final class ListeningSockets {
    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    /** The ports process {@code pid} listens on at {@code address}, sorted; empty while it has none. */
    public static List<Integer> ports(long pid, String address) {
        try {
            byte[] wanted = InetAddress.getByName(address).getAddress();
            Set<String> inodes = socketInodes(pid);
            List<Integer> ports = new ArrayList<>();
            for (String table : List.of("tcp", "tcp6")) {
                Path file = Path.of("/proc", Long.toString(pid), "net", table);
                if (!Files.exists(file)) {
                    continue;
                }
                for (String line : Files.readAllLines(file)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 10 || !f[3].equals(LISTEN) || !inodes.contains(f[9])) {
                        continue;
                    }
                    String[] local = f[1].split(":");
                    byte[] ip = ipv4(local[0]);
                    if (ip != null && Arrays.equals(ip, wanted)) {
                        ports.add(Integer.parseInt(local[1], 16));
                    }
                }
            }
            ports.sort(null);
            return ports;
        } catch (NoSuchFileException gone) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> socketInodes(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while we looked
                }
            }
        }
        return inodes;
    }

    /** An address of /proc/net/tcp (IPv4, or IPv4-mapped IPv6) as bytes in network order; null for other IPv6. */
    private static byte[] ipv4(String hex) {
        String v4;
        if (hex.length() == 8) {
            v4 = hex;
        } else if (hex.length() == 32 && hex.startsWith("0000000000000000FFFF0000")) {
            v4 = hex.substring(24);
        } else {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) { // the kernel writes the 32-bit word in host (little-endian) order
            b[3 - i] = (byte) Integer.parseInt(v4.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
