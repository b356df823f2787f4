package io.zonesync.cli;

import io.zonesync.Version;
import io.zonesync.core.CoreSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/** The texts of {@code -v}, {@code -V} and {@code -h}. */
final class Usage {

    private Usage() {
    }

    /** The version from the jar Maven built, or {@code dev} when running from classes. */
    static String versionNumber() {
        return Version.NUMBER;
    }

    static String version() {
        return "zonesync version: zonesync/" + versionNumber() + "\n";
    }

    /**
     * nginx's http modules built unless configure says {@code --without-http_X_module}: each one
     * zonesync lacks is listed that way in {@code -V}.
     */
    private static final List<String> HTTP_DEFAULT = List.of("charset", "gzip", "ssi", "userid", "access",
            "auth_basic", "mirror", "autoindex", "geo", "map", "split_clients", "referer", "rewrite", "proxy",
            "fastcgi", "uwsgi", "scgi", "grpc", "memcached", "limit_conn", "limit_req", "empty_gif", "browser",
            "upstream_hash", "upstream_ip_hash", "upstream_least_conn", "upstream_random", "upstream_keepalive",
            "upstream_zone");
    /** nginx's http modules built only with {@code --with-http_X_module}: listed so when zonesync has one. */
    private static final List<String> HTTP_OPTIONAL = List.of("ssl", "v2", "realip", "addition", "sub", "dav",
            "flv", "mp4", "gunzip", "gzip_static", "auth_request", "random_index", "secure_link", "degradation",
            "slice", "stub_status");
    /** The stream modules built with {@code --with-stream} unless {@code --without-stream_X_module}. */
    private static final List<String> STREAM_DEFAULT = List.of("limit_conn", "access", "geo", "map",
            "split_clients", "return", "set", "upstream_hash", "upstream_least_conn", "upstream_random",
            "upstream_zone");
    private static final List<String> STREAM_OPTIONAL = List.of("ssl", "realip", "ssl_preread");

    /**
     * What {@code -V} adds, in nginx's shape so that scripts probing for modules read the truth: the
     * build line, and {@code configure arguments:} with {@code --with-*} for the optional nginx modules
     * zonesync has and {@code --without-*} for the default ones it lacks; then the nginx modules it
     * implements by name (NGINX Plus's among them) and the libraries that matter.
     */
    static String buildInfo(List<String> nginxModules) {
        return "built with Java " + Runtime.version().feature() + ", running on " + System.getProperty("java.vm.name")
                + " " + System.getProperty("java.runtime.version") + " (" + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ")\n"
                + "TLS SNI support enabled\n"
                + "configure arguments: " + configureArguments(Set.copyOf(nginxModules)) + "\n"
                + "modules: " + String.join(" ", nginxModules) + "\n"
                + "libraries: netty " + nettyVersion() + "\n";
    }

    static String configureArguments(Set<String> has) {
        List<String> args = new ArrayList<>();
        for (String m : HTTP_OPTIONAL) {
            if (has.contains("ngx_http_" + m + "_module")) {
                args.add("--with-http_" + m + "_module");
            }
        }
        if (has.contains("ngx_stream_module")) {
            args.add("--with-stream");
            for (String m : STREAM_OPTIONAL) {
                if (has.contains("ngx_stream_" + m + "_module")) {
                    args.add("--with-stream_" + m + "_module");
                }
            }
            for (String m : STREAM_DEFAULT) {
                if (!has.contains("ngx_stream_" + m + "_module")) {
                    args.add("--without-stream_" + m + "_module");
                }
            }
        }
        for (String m : HTTP_DEFAULT) {
            if (!has.contains("ngx_http_" + m + "_module")) {
                args.add("--without-http_" + m + "_module");
            }
        }
        return String.join(" ", args);
    }

    /** Read from Netty's jar without loading Netty, which would start logging. */
    private static String nettyVersion() {
        try {
            Properties all = new Properties();
            for (URL url : Collections.list(Usage.class.getClassLoader()
                    .getResources("META-INF/io.netty.versions.properties"))) {
                try (InputStream in = url.openStream()) {
                    all.load(in);
                }
            }
            return all.getProperty("netty-common.version", "unknown");
        } catch (IOException unreadable) {
            return "unknown";
        }
    }

    static String help(Path defaultPrefix) {
        return "Usage: zonesync [-?hvVtTq] [-s signal] [-p prefix]\n"
                + "                [-e filename] [-c filename] [-g directives]\n"
                + "\n"
                + "Options:\n"
                + "  -?,-h         : print this text\n"
                + "  -v            : print the version, then exit\n"
                + "  -V            : print the version, the build and the built-in modules, then exit\n"
                + "  -t            : check the configuration, then exit\n"
                + "  -T            : check the configuration, print every file read, then exit\n"
                + "  -q            : with -t and -T, print errors only\n"
                + "  -s signal     : tell the running node to stop, quit, reopen or reload\n"
                + "  -p prefix     : directory relative paths resolve against (default: " + defaultPrefix + "/)\n"
                + "  -e filename   : error log while starting, or \"stderr\" (default: "
                + CoreSettings.DEFAULT_ERROR_LOG + ")\n"
                + "  -c filename   : configuration file (default: " + Cli.DEFAULT_CONF + ")\n"
                + "  -g directives : main-context directives to add to the configuration\n"
                + "\n";
    }
}
