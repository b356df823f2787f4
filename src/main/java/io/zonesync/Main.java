package io.zonesync;

import io.zonesync.cli.Cli;
import io.zonesync.cli.NodeBackedRunner;

/** The zonesync program: the command line, which bin/zonesync runs. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Cli.forThisProcess(new NodeBackedRunner()).run(args));
    }
}
