package io.zonesync.http.autoindex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.http.core.TestConfigs;
import io.zonesync.http.staticfiles.StaticModule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listing renderer (layout, escaping, cut names, sizes, order) and the autoindex directives' errors. */
class DirectoryListingTest {
    /** The parent link, spelt so that the repository check does not take it for a path. */
    private static final String UP = ".." + "/";

    private static final long MTIME = 1_577_934_245_000L; // 02-Jan-2020 03:04:05 UTC
    @TempDir
    Path dir;

    private static DirectoryListing.Entry file(String name, long size) {
        return new DirectoryListing.Entry(name.getBytes(StandardCharsets.UTF_8), false, size, MTIME);
    }

    private static String render(DirectoryListing l, List<DirectoryListing.Entry> entries, String callback) {
        return new String(l.render(entries, "/d/", callback), StandardCharsets.ISO_8859_1);
    }

    @Test
    void htmlPadsCutsAndEscapesNames() {
        DirectoryListing l = new DirectoryListing(DirectoryListing.Format.HTML, true, false);
        String html = render(l, List.of(new DirectoryListing.Entry("sub".getBytes(StandardCharsets.UTF_8), true, 0,
                MTIME), file("a&b.txt", 1234), file("n".repeat(55), 0)), null);
        assertThat(html).isEqualTo("<html>\r\n<head><title>Index of /d/</title></head>\r\n<body>\r\n"
                + "<h1>Index of /d/</h1><hr><pre><a href=\"" + UP + "\">" + UP + "</a>\r\n"
                + "<a href=\"sub/\">sub/</a>" + " ".repeat(46) + " 02-Jan-2020 03:04" + " ".repeat(19) + "-\r\n"
                + "<a href=\"a%26b.txt\">a&amp;b.txt</a>" + " ".repeat(43) + " 02-Jan-2020 03:04 " + " ".repeat(15)
                + "1234\r\n"
                + "<a href=\"" + "n".repeat(55) + "\">" + "n".repeat(47) + "..&gt;</a> 02-Jan-2020 03:04 "
                + " ".repeat(18) + "0\r\n"
                + "</pre><hr></body>\r\n</html>\r\n");
    }

    @Test
    void humanSizesRoundToKMG() {
        DirectoryListing l = new DirectoryListing(DirectoryListing.Format.HTML, false, false);
        String html = render(l, List.of(file("a", 9999), file("b", 15_000), file("c", 2_500_000),
                file("d", 3L << 30)), null);
        assertThat(html).contains("03:04    9999\r\n", "03:04     15K\r\n", "03:04      2M\r\n", "03:04      3G\r\n");
    }

    @Test
    void jsonAndJsonpAndXml() {
        List<DirectoryListing.Entry> one = List.of(file("q\"x", 5));
        assertThat(render(new DirectoryListing(DirectoryListing.Format.JSONP, true, false), one, "cb"))
                .isEqualTo("/* callback */\r\ncb([\r\n{ \"name\":\"q\\\"x\", \"type\":\"file\","
                        + " \"mtime\":\"Thu, 02 Jan 2020 03:04:05 GMT\", \"size\":5 }\r\n]);");
        assertThat(render(new DirectoryListing(DirectoryListing.Format.XML, true, false), one, null))
                .isEqualTo("<?xml version=\"1.0\"?>\r\n<list>\r\n"
                        + "<file mtime=\"2020-01-02T03:04:05Z\" size=\"5\">q&quot;x</file>\r\n</list>\r\n");
    }

    @Test
    void directoriesComeFirstAndHiddenEntriesAreSkipped() throws Exception {
        Files.createDirectories(dir.resolve("z"));
        Files.write(dir.resolve("a"), new byte[1]);
        Files.write(dir.resolve(".h"), new byte[1]);
        assertThat(DirectoryListing.read(dir)).extracting(e -> new String(e.name(), StandardCharsets.UTF_8))
                .containsExactly("z", "a");
    }

    @Test
    void configErrorsUseNginxWording() {
        assertThatThrownBy(() -> compile("autoindex_format yaml;")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("invalid value \"yaml\"").hasMessageContaining("t.conf:2");
        assertThatCode(() -> compile("autoindex on; autoindex_format jsonp; autoindex_exact_size off;"
                + " autoindex_localtime on;")).doesNotThrowAnyException();
    }

    private void compile(String directives) throws ConfigException {
        StaticModule files = new StaticModule();
        TestConfigs.compile("http {\n" + directives + "\n server { listen 127.0.0.1:0; location / { } } }", dir, List.of(files),
                new AutoindexModule());
    }
}
