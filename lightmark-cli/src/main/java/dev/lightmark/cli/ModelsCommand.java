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

    @Override
    public Integer call() throws Exception {
        System.out.println("cpu: " + CpuInfo.current().describe());
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
