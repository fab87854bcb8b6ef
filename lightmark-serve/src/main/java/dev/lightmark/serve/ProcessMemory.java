package dev.lightmark.serve;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory of this process: resident set (what the OS sees, including ONNX Runtime's native
 * memory) from /proc/self/status, and the Java heap. RSS values are -1 where /proc is missing.
 */
record ProcessMemory(long rssBytes, long peakRssBytes, long heapUsedBytes, long heapCommittedBytes, long heapMaxBytes) {
    static ProcessMemory now() {
        long rss = -1, hwm = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) rss = kib(line);
                else if (line.startsWith("VmHWM:")) hwm = kib(line);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: report heap only
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new ProcessMemory(rss, hwm, heap.getUsed(), heap.getCommitted(), heap.getMax());
    }

    /** "VmRSS:    123456 kB" to bytes. */
    private static long kib(String line) {
        String[] parts = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        return Long.parseLong(parts[0]) * 1024;
    }
}
