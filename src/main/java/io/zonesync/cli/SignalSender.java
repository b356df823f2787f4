package io.zonesync.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Sends a signal to a process ({@code -s}); Java has no kill(2), so the kill command does it. */
interface SignalSender {

    /**
     * @throws IOException whose message is the reason, as nginx puts it after {@code kill(PID, N) failed}
     */
    void send(long pid, NodeSignal signal) throws IOException;

    /** The {@code kill} program. */
    static SignalSender killCommand() {
        return (pid, signal) -> {
            if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) {
                throw new IOException("3: No such process");
            }
            Process kill = new ProcessBuilder("kill", "-s", signal.signalName(), Long.toString(pid))
                    .redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            try {
                if (kill.waitFor() != 0) {
                    throw new IOException(output.isEmpty() ? "kill exited with " + kill.exitValue() : output);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for kill", e);
            }
        };
    }
}
