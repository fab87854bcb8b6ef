package dev.lightmark.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the CPU offers the network kernels, read from {@code /proc/cpuinfo} where there is one.
 *
 * <p>Why it matters: ONNX Runtime's convolution kernels run about twice as wide with AVX-512, and
 * its int8 kernels gain only with VNNI instructions. Measured here (BENCHMARKS.md, "Speed by CPU"):
 * the int8 128 px hourglass took 0.65-0.8x dlib's per-face time on an AVX-512 VNNI CPU and 1.7x on
 * an AVX2-only one, where int8 ran no faster than float. Timings are only comparable with this line.
 *
 * @param model the processor's model name, or the JVM's architecture when it cannot be read
 * @param cores logical cores the JVM sees
 * @param flags instruction-set flags in lower case (empty when unknown)
 */
public record CpuInfo(String model, int cores, Set<String> flags) {
    /** The widest vector extension the flags show and whether an int8 dot-product extension is there. */
    public String vectorExtensions() {
        if (flags.isEmpty()) return "instruction sets unknown";
        String widest = avx512() ? "AVX-512" : flags.contains("avx2") ? "AVX2"
                : flags.contains("avx") ? "AVX" : flags.contains("asimd") ? "NEON" : "no AVX";
        return widest + (int8DotProducts() ? " with int8 dot products (VNNI)" : ", no VNNI (int8 is no faster than float here)");
    }

    /** Whether the flags show AVX-512 (false when they are unknown). */
    public boolean avx512() { return flags.contains("avx512f"); }

    /** Whether the flags show an int8 dot-product extension (AVX-512 VNNI, AVX-VNNI or Arm's dot product). */
    public boolean int8DotProducts() {
        return flags.contains("avx512_vnni") || flags.contains("avx_vnni") || flags.contains("asimddp");
    }

    /** One line for timing reports: model, cores, vector extensions. */
    public String describe() {
        return model + ", " + cores + " logical core" + (cores == 1 ? "" : "s") + ", " + vectorExtensions();
    }

    /** This machine's CPU; never fails (unknown parts are said to be unknown). */
    public static CpuInfo current() {
        int cores = Runtime.getRuntime().availableProcessors();
        try {
            Path p = Path.of("/proc/cpuinfo");
            if (Files.isReadable(p)) return parse(Files.readAllLines(p), cores);
        } catch (IOException | RuntimeException e) {
            // fall through: the description says what is unknown
        }
        return new CpuInfo(System.getProperty("os.arch", "unknown CPU"), cores, Set.of());
    }

    /** Reads the first processor's model name and flags (x86 "flags", ARM "Features"). */
    static CpuInfo parse(List<String> lines, int cores) {
        String model = null;
        Set<String> flags = Set.of();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String key = line.substring(0, colon).trim(), value = line.substring(colon + 1).trim();
            if (model == null && (key.equals("model name") || key.equals("Model") || key.equals("Hardware")) && !value.isEmpty())
                model = value;
            if (flags.isEmpty() && (key.equals("flags") || key.equals("Features")))
                flags = Arrays.stream(value.split("\\s+")).filter(s -> !s.isEmpty())
                        .map(s -> s.toLowerCase(java.util.Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        }
        return new CpuInfo(model == null ? System.getProperty("os.arch", "unknown CPU") : model, cores, flags);
    }
}
