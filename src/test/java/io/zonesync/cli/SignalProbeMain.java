package io.zonesync.cli;

import sun.misc.Signal;

/** Prints, for each signal the node cares about, whether Java code may catch it in this JVM. */
public final class SignalProbeMain {
    private SignalProbeMain() {
    }

    public static void main(String[] args) {
        StringBuilder line = new StringBuilder();
        for (String name : new String[] {"QUIT", "HUP", "TERM", "INT", "USR1", "USR2"}) {
            String verdict;
            try {
                Signal.handle(new Signal(name), s -> { });
                verdict = "ok";
            } catch (IllegalArgumentException e) {
                verdict = "refused";
            }
            line.append(line.length() == 0 ? "" : " ").append(name).append('=').append(verdict);
        }
        System.out.println(line);
    }
}
