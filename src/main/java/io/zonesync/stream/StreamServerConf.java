package io.zonesync.stream;

import io.zonesync.config.Block;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Context;
import io.zonesync.config.Directive;
import io.zonesync.config.Scope;
import java.util.ArrayList;
import java.util.List;

/** One {@code server} of the {@code stream} block: its listeners and its scope for the features. */
public record StreamServerConf(Directive directive, List<StreamListen> listens, Scope scope) {

    /** Every server of a stream block; a server without {@code listen} is an error, as in nginx. */
    public static List<StreamServerConf> compileAll(Scope stream) throws ConfigException {
        List<StreamServerConf> out = new ArrayList<>();
        for (Directive server : stream.block().all("server")) {
            Block block = server.block();
            List<StreamListen> listens = new ArrayList<>();
            for (Directive l : block.all("listen")) {
                StreamListen listen = StreamListen.parse(l);
                if (block.has("zone_sync") && (listen.udp() || listen.proxyProtocol())) {
                    throw l.error("the \"%s\" parameter is not supported on the zone_sync server",
                            listen.udp() ? "udp" : "proxy_protocol");
                }
                listens.add(listen);
            }
            if (listens.isEmpty()) {
                throw server.error("no \"listen\" is defined for server");
            }
            out.add(new StreamServerConf(server, List.copyOf(listens), stream.child(Context.STREAM_SERVER, block)));
        }
        return out;
    }
}
