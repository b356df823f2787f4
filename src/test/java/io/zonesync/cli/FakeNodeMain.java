package io.zonesync.cli;

/** The real command line and signal handling in front of {@link FakeRunner}, for process tests. */
public final class FakeNodeMain {
    private FakeNodeMain() {
    }

    public static void main(String[] args) {
        System.exit(Cli.forThisProcess(new FakeRunner()).run(args));
    }
}
