package dev.lightmark.cli;

import dev.lightmark.data.FaceSample;
import dev.lightmark.data.PtsFolder;
import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.shape.ShapeModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "asm", mixinStandardHelpOptions = true,
        description = "Active shape model (point distribution model) of the 68 landmarks.",
        subcommands = {AsmCommand.Fit.class})
final class AsmCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(System.out); }

    @Command(name = "fit", mixinStandardHelpOptions = true,
            description = "Fit a shape model to a folder of NAME.jpg + NAME.pts and report the soft-landmark error on it.")
    static final class Fit implements Callable<Integer> {
        @Option(names = "--data", required = true, description = "Folder of NAME.jpg + NAME.pts (68 points)")
        Path data;

        @Option(names = "--variance", defaultValue = "0.95", description = "Share of shape variance to keep (default ${DEFAULT-VALUE})")
        double variance;

        @Option(names = "--modes", description = "Keep exactly this many modes instead of a variance share")
        Integer modes;

        @Option(names = "--clamp", description = "Clamp mode weights to |b_i| <= 3 sqrt(lambda_i)")
        boolean clamp;

        @Option(names = "--out", required = true, description = "Model JSON to write")
        Path out;

        @Override
        public Integer call() {
            PtsFolder.Loaded loaded = PtsFolder.load(data, 68);
            for (String p : loaded.problems()) System.err.println("skipped: " + p);
            List<Landmarks> shapes = loaded.samples().stream().map(FaceSample::landmarks).toList();
            if (shapes.size() < 2) throw new IllegalArgumentException("need at least 2 usable shapes in " + data + ", found " + shapes.size());
            String source = data.toString();
            ShapeModel model = (modes != null ? ShapeModel.fitModes(shapes, modes, source)
                    : ShapeModel.fit(shapes, variance, source)).withClamp(clamp);
            model.save(out);
            ShapeModel.SoftError e = model.softenError(shapes, LandmarkScheme.IBUG68);
            System.out.printf(Locale.ROOT, "shapes used: %d (%d skipped)%n", shapes.size(), loaded.problems().size());
            System.out.printf(Locale.ROOT, "modes kept: %d, variance explained: %.2f%%%n", model.modes(), 100 * model.varianceExplained());
            System.out.printf(Locale.ROOT, "soft landmarks vs ground truth, NME inter-ocular: mean %.3f%%, max %.3f%% (worst single point %.3f%%)%n",
                    100 * e.meanNme(), 100 * e.maxNme(), 100 * e.maxPointNme());
            System.out.println("wrote " + out);
            return 0;
        }
    }
}
