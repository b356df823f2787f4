package io.zonesync.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where this JVM's CPU went between two moments, by group of threads: the CPU time each thread
 * used and the time it was runnable but waiting for a CPU, from the kernel's
 * {@code /proc/self/task/TID/schedstat}, grouped by the thread's name ({@code comm}). Read before the
 * nodes close, so their event loops are still there to be read. A thread that started in between
 * counts from zero; one that ended in between is lost.
 */
final class CpuBudget {
    /** Group name to {cpu ns, wait ns}, in the order groups are printed. */
    private final Map<String, long[]> groups;

    private CpuBudget(Map<String, long[]> groups) {
        this.groups = groups;
    }

    /** Now, per group: "writer" (the main thread), "A" and "B" (bench-a-*, bench-b-*), "GC", "JIT", "other". */
    static CpuBudget now() {
        Map<String, long[]> g = new LinkedHashMap<>();
        for (String name : new String[] {"writer", "A", "B", "GC", "JIT", "other"}) {
            g.put(name, new long[2]);
        }
        Map<String, long[]> byTid = threads();
        byTid.forEach((tid, v) -> {
            long[] sum = g.get(group(tid));
            sum[0] += v[0];
            sum[1] += v[1];
        });
        return new CpuBudget(g);
    }

    /** "name/tid" to {cpu ns, wait ns}; group() reads the name back. */
    private static Map<String, long[]> threads() {
        Map<String, long[]> out = new LinkedHashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                try {
                    String comm = Files.readString(t.resolve("comm")).trim();
                    String[] s = Files.readString(t.resolve("schedstat")).trim().split(" ");
                    out.put(comm + "/" + t.getFileName(), new long[] {Long.parseLong(s[0]), Long.parseLong(s[1])});
                } catch (IOException ended) {
                    // the thread ended while we looked
                }
            }
        } catch (IOException e) {
            // no /proc: report nothing
        }
        return out;
    }

    private static String group(String nameAndTid) {
        String name = nameAndTid.substring(0, nameAndTid.lastIndexOf('/'));
        if (name.equals("java") || name.equals("main")) {
            return "writer";
        }
        if (name.startsWith("bench-a")) {
            return "A";
        }
        if (name.startsWith("bench-b")) {
            return "B";
        }
        if (name.startsWith("GC ") || name.startsWith("G1 ") || name.startsWith("ZWorker") || name.startsWith("ZDirector")
                || name.startsWith("VM Thread")) {
            return "GC";
        }
        if (name.startsWith("C1 ") || name.startsWith("C2 ")) {
            return "JIT";
        }
        return "other";
    }

    /**
     * One line: each group's CPU per record and its wait for a CPU per record between {@code before}
     * and now, in µs, and the sum of the CPU.
     */
    String perRecordSince(CpuBudget before, long records) {
        StringBuilder sb = new StringBuilder("CPU per record, µs (waited for a CPU):");
        double total = 0;
        for (Map.Entry<String, long[]> e : groups.entrySet()) {
            long[] b = before.groups.get(e.getKey());
            double cpu = (e.getValue()[0] - b[0]) / 1e3 / records;
            double wait = (e.getValue()[1] - b[1]) / 1e3 / records;
            total += cpu;
            sb.append(String.format(" %s %.2f (%.2f)", e.getKey(), cpu, wait));
        }
        return sb.append(String.format("; all %.2f", total)).toString();
    }
}
