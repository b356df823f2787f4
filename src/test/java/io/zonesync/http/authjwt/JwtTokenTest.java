package io.zonesync.http.authjwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How claims and header parameters read as variables: nested names, arrays joined with commas. */
class JwtTokenTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JwtToken token(String header, String claims) throws Exception {
        return new JwtToken((ObjectNode) JSON.readTree(header), (ObjectNode) JSON.readTree(claims));
    }

    @Test
    void valuesReadAsNginxPlusGivesThem() throws Exception {
        JwtToken t = token("{\"alg\":\"RS256\",\"x5c\":[\"a\",\"b\"]}", """
                {"sub":"alice","exp":1700000000,"ratio":1.5,"admin":true,"gone":null,
                 "roles":["admin","ops"],"mixed":[1,"two",false,{"k":"v"}],
                 "info":{"e-mail":"a@example.com","job title":"engineer","deep":{"level":3}},
                 "dotted.name":"d"}
                """);
        assertThat(t.claim(List.of("sub"))).isEqualTo("alice");
        assertThat(t.claim(List.of("exp"))).isEqualTo("1700000000");
        assertThat(t.claim(List.of("ratio"))).isEqualTo("1.5");
        assertThat(t.claim(List.of("admin"))).isEqualTo("true");
        assertThat(t.claim(List.of("gone"))).isNull();
        assertThat(t.claim(List.of("absent"))).isNull();
        assertThat(t.claim(List.of("roles"))).isEqualTo("admin,ops");
        assertThat(t.claim(List.of("mixed"))).isEqualTo("1,two,false,{\"k\":\"v\"}");
        assertThat(t.claim(List.of("info", "e-mail"))).isEqualTo("a@example.com");
        assertThat(t.claim(List.of("info", "job title"))).isEqualTo("engineer");
        assertThat(t.claim(List.of("info", "deep", "level"))).isEqualTo("3");
        assertThat(t.claim(List.of("info", "deep"))).isEqualTo("{\"level\":3}");
        assertThat(t.claim(List.of("sub", "x"))).as("a name below a string").isNull();
        assertThat(t.claim(List.of("info", "absent", "x"))).isNull();
        assertThat(t.claim(List.of("dotted.name"))).isEqualTo("d");
        assertThat(t.header(List.of("alg"))).isEqualTo("RS256");
        assertThat(t.header(List.of("x5c"))).isEqualTo("a,b");
        assertThat(t.header(List.of("sub"))).isNull();
    }
}
