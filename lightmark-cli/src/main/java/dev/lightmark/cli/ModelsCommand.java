package dev.lightmark.cli;

import dev.lightmark.infer.BundledModels;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.io.BundledResources;
import dev.lightmark.runtime.CpuInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Lists the bundled models with what each is for, and this machine's CPU: which model fits under
 * dlib's time depends on the vector extensions (BENCHMARKS.md, "Speed by CPU").
 */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the bundled models (the names --model accepts), what each is for, and this machine's CPU.")
final class ModelsCommand implements Callable<Integer> {
    @Option(names = "--check", description = "Also load each model and print its input size and runtime (a few seconds)")
    boolean check;

    /**
     * Measured on three kinds of CPU (BENCHMARKS.md, "Speed by CPU"): on AMD EPYC with AVX-512 VNNI
     * the int8 64-channel default took 0.65-0.8x dlib's time (the 80-channel one's network, in the
     * sixteenth session's int8 export, takes about as long as that one's did: expected under dlib's,
     * not measured there); on AVX2 alone 1.7-2x, and the 96 px model 0.8-1.0x; on an Intel Xeon with
     * AVX-512 VNNI no hourglass fitted (64-channel default 2.1-2.3x, 80-channel 1.5-1.9x, the 96 px
     * model 1.4-1.8x) and only PFLD in one pass did (0.7-0.8x).
     */
    static String withinDlibTime(CpuInfo cpu) {
        if (cpu.flags().isEmpty()) return "unknown here (instruction sets unknown); `default` with AVX-512 VNNI on AMD EPYC, `balanced` with AVX2 only";
        boolean intel = cpu.model().contains("Intel"), amd = cpu.model().contains("AMD");
        if (cpu.avx512() && cpu.int8DotProducts() && amd) return "default (its 64-channel predecessor measured at 0.65-0.8x dlib's time on AMD EPYC CPUs with AVX-512 VNNI; "
                    + "this one, in its leaner int8 graph, takes about as long: expected 0.65-0.85x, not measured)";
        if (cpu.avx512() && cpu.int8DotProducts() && intel)
            return "fast --no-flip (measured on an Intel Xeon with AVX-512 VNNI: 0.7-0.8x dlib's time; no hourglass fitted there, "
                    + "balanced took 1.4-1.8x and default 1.5-1.9x)";
        if (!cpu.avx512() && !cpu.int8DotProducts()) return "balanced (measured on an AVX2-only CPU; default takes about 2x dlib's time there)";
        return "default, balanced or fast (this kind of CPU was not measured: compare bench --faces with dlib-baseline)";
    }

    @Override
    public Integer call() throws Exception {
        CpuInfo cpu = CpuInfo.current();
        System.out.println("cpu: " + cpu.describe());
        System.out.println("within dlib's per-face time on this CPU, most accurate: " + withinDlibTime(cpu));
        for (BundledModels.Entry e : BundledModels.all().values()) {
            long bytes = 0;
            for (String r : e.resources()) bytes += BundledResources.read(r).length;
            System.out.printf(Locale.ROOT, "%-9s %s%n          flip test %s by default, %.1f MB%s%n", e.name(), e.description(),
                    e.flip() ? "on" : "off", bytes / 1e6, e.name().equals("default") ? "; used when --model is absent" : "");
            if (check)
                try (LandmarkPredictor p = LandmarkPredictor.load(Path.of(e.name()), 1)) {
                    System.out.printf(Locale.ROOT, "          loads: %s, %d px input, %d points, %s%n",
                            p.spec().architecture, p.spec().inputSize, p.spec().points, p.runtime());
                }
        }
        System.out.println("Pick one with --model NAME in any command (model=NAME in the service); numbers: BENCHMARKS.md, \"Bundled models\".");
        return 0;
    }
}
