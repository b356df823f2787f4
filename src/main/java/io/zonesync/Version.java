package io.zonesync;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The zonesync version, as the build recorded it ({@code -v}, the Server header, the API, $nginx_version). */
public final class Version {
    /** For example {@code 0.1.0-SNAPSHOT}; "dev" when the build did not record one. */
    public static final String NUMBER = read();

    private Version() {
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "");
                if (!v.isEmpty() && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException unreadable) {
            // fall through to "dev"
        }
        return "dev";
    }
}
