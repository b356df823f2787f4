package io.zonesync.http.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/**
 * The dashboard's files, read once from the class path: its page, script and style from this
 * package, and uPlot's script and style from the uPlot WebJar (whose version its Maven properties
 * tell, so the path is not written down twice).
 */
final class DashboardAssets {
    /** One file: its media type and its bytes. */
    record Asset(String contentType, byte[] bytes) { }

    /** The page, with {@link #API_PLACEHOLDER} where the API's URI goes. */
    static final String PAGE = new String(read(local("dashboard.html")), StandardCharsets.UTF_8);
    static final String API_PLACEHOLDER = "{{api}}";

    /** What {@code ?asset=NAME} serves, by NAME. */
    static final Map<String, Asset> FILES = Map.of(
            "dashboard.js", new Asset("application/javascript; charset=utf-8", read(local("dashboard.js"))),
            "dashboard.css", new Asset("text/css; charset=utf-8", read(local("dashboard.css"))),
            "uPlot.iife.min.js", new Asset("application/javascript; charset=utf-8", read(uplot("uPlot.iife.min.js"))),
            "uPlot.min.css", new Asset("text/css; charset=utf-8", read(uplot("uPlot.min.css"))));

    private DashboardAssets() { }

    private static String local(String name) {
        return "io/zonesync/http/dashboard/" + name;
    }

    private static String uplot(String name) {
        Properties p = new Properties();
        try (InputStream in = open("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "META-INF/resources/webjars/uplot/" + p.getProperty("version") + "/dist/" + name;
    }

    private static byte[] read(String path) {
        try (InputStream in = open(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String path) throws IOException {
        InputStream in = DashboardAssets.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IOException("missing from the class path: " + path);
        }
        return in;
    }
}
