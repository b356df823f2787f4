package io.zonesync.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.unix.DomainSocketAddress;
import io.zonesync.config.Block;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.Context;
import io.zonesync.config.Scope;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class AccessRuleTest {
    private static AccessRules rules(String stream, String server) throws Exception {
        Block root = ConfigParser.parseString("stream { " + stream + " server { " + server + " } }", "t.conf");
        Scope s = Scope.root(root).child(Context.STREAM, root.first("stream").block());
        return AccessRules.of(s.child(Context.STREAM_SERVER, s.block().first("server").block()));
    }

    private static InetSocketAddress ip(String a) {
        return new InetSocketAddress(a, 1234);
    }

    @Test
    void firstMatchWinsAndNoMatchAllows() throws Exception {
        AccessRules r = rules("", "deny 10.0.0.7; allow 10.0.0.0/8; allow 2001:db8::/32; deny all;");
        assertThat(r.allows(ip("10.0.0.7"))).isFalse();
        assertThat(r.allows(ip("10.9.9.9"))).isTrue();
        assertThat(r.allows(ip("2001:db8::5"))).isTrue();
        assertThat(r.allows(ip("2001:db9::5"))).isFalse();
        assertThat(r.allows(ip("192.168.0.1"))).isFalse();
        assertThat(r.allows(new DomainSocketAddress("/tmp/x"))).isFalse();
        assertThat(rules("", "allow 127.0.0.1;").allows(ip("192.168.0.1"))).isTrue();
    }

    @Test
    void unixMatchesOnlyUnixSocketsAndV4RulesMatchMappedClients() throws Exception {
        AccessRules r = rules("", "allow unix:; allow 127.0.0.0/8; deny all;");
        assertThat(r.allows(new DomainSocketAddress("/tmp/x"))).isTrue();
        assertThat(r.allows(new InetSocketAddress(InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1}), 1))).isTrue();
        assertThat(r.allows(ip("::1"))).isFalse();
    }

    @Test
    void serverRulesReplaceStreamRulesAsOneList() throws Exception {
        assertThat(rules("deny all;", "").allows(ip("10.0.0.1"))).isFalse();
        assertThat(rules("deny all;", "allow 10.0.0.1;").allows(ip("10.0.0.1"))).isTrue();
        assertThat(rules("deny all;", "allow 10.0.0.1;").allows(ip("10.0.0.2"))).isTrue();
    }

    @Test
    void badAddressesAreConfigurationErrors() {
        assertThatThrownBy(() -> rules("", "deny 10.0.0.256;")).hasMessageContaining("invalid parameter \"10.0.0.256\"")
                .hasMessageContaining("t.conf:1");
        assertThatThrownBy(() -> rules("", "deny 10.0.0.0/33;")).hasMessageContaining("invalid parameter");
        assertThatThrownBy(() -> rules("", "deny example.com;")).hasMessageContaining("invalid parameter");
        assertThatThrownBy(() -> rules("", "deny 1.2.3;")).hasMessageContaining("invalid parameter");
    }
}
