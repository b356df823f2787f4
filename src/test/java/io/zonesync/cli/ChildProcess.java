package io.zonesync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A process started by a test, its output in a file, and {@code kill -s} for it. */
final class ChildProcess implements AutoCloseable {
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** The test JVM's class path: the main and test classes and every dependency. */
    static final String CLASS_PATH = System.getProperty("java.class.path");

    final Process process;
    final Path output;

    private ChildProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static ChildProcess start(Path output, Map<String, String> env, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().putAll(env);
        return new ChildProcess(pb.start(), output);
    }

    /**
     * {@code java [jvmOptions] -cp <test class path> mainClass args}, with HUP, INT and TERM at their
     * default dispositions as bin/zonesync starts the JVM: a test run under {@code nohup} would
     * otherwise pass on an ignored HUP, which the JVM then leaves ignored.
     */
    static ChildProcess java(Path output, List<String> jvmOptions, String mainClass, String... args)
            throws IOException {
        return java("--default-signal=HUP,INT,TERM", output, jvmOptions, mainClass, args);
    }

    /** As {@link #java(Path, List, String, String...)}, with {@code signals} (e.g. "HUP,TERM") ignored from the start. */
    static ChildProcess javaIgnoring(String signals, Path output, List<String> jvmOptions, String mainClass,
            String... args) throws IOException {
        return java("--ignore-signal=" + signals, output, jvmOptions, mainClass, args);
    }

    private static ChildProcess java(String dispositions, Path output, List<String> jvmOptions, String mainClass,
            String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("env"); // coreutils' env execs java: the pid stays the JVM's
        command.add(dispositions);
        command.add(JAVA);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(CLASS_PATH);
        command.add(mainClass);
        command.addAll(List.of(args));
        return start(output, Map.of(), command);
    }

    long pid() {
        return process.pid();
    }

    String output() throws IOException {
        return Files.readString(output);
    }

    void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -s %s %d", name, pid()).isZero();
    }

    int exitStatus() throws Exception {
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("process %d exited", pid()).isTrue();
        return process.exitValue();
    }

    static String pathOf(File f) {
        return f.getAbsolutePath();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
