package io.zonesync.cli;

import io.zonesync.Version;
import io.zonesync.core.CoreSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

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

    /** What {@code -V} adds: the runtime, the libraries that matter and the modules built in. */
    static String buildInfo(List<String> modules) {
        return "built with Java " + Runtime.version().feature() + ", running on " + System.getProperty("java.vm.name")
                + " " + System.getProperty("java.runtime.version") + " (" + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ")\n"
                + "libraries: netty " + nettyVersion() + "\n"
                + "modules: " + String.join(" ", modules) + "\n";
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
