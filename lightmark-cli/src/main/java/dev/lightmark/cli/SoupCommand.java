package dev.lightmark.cli;

import dev.lightmark.data.FaceSample;
import dev.lightmark.eval.ModelEvaluation;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.train.GreedySoup;
import dev.lightmark.train.ModelSoup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "soup", mixinStandardHelpOptions = true,
        description = {"Average the weights of trained models of one network into one model (a model soup): one "
                + "network's cost. It works for models that share a start (fine-tunes of one model, snapshots of one run); "
                + "measure the soup on validation faces (eval --only) before you use it, or let --greedy do it.",
                "Example: lightmark soup --model runs/a/best.lmk --model runs/b/best.lmk --out soup.lmk",
                "Greedy: lightmark soup --greedy --data ../shared/data/300w/train --only runs/a/val-faces.txt "
                        + "--model runs/a/best.lmk --model runs/b/best.lmk --model runs/c/best.lmk --out soup.lmk"})
final class SoupCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "A trained model (.lmk); give two or more")
    List<Path> models;

    @Option(names = "--weight", description = "Share of each --model, in order (default: equal shares; not with --greedy)")
    double[] weights;

    @Option(names = "--out", required = true, description = "Model file (.lmk) to write")
    Path out;

    @Option(names = "--greedy", description = "Rank the models by their NME on --data (ground-truth box) and add each, "
            + "best first, only when the equal-share soup's NME falls (Wortsman et al. 2022); give validation faces")
    boolean greedy;

    @Option(names = "--data", description = "With --greedy: folder of images and .pts files that scores the soups")
    Path data;

    @Option(names = "--only", description = "With --greedy: score only the faces named in this file (e.g. a run's val-faces.txt)")
    Path only;

    @Mixin
    FlipOption flipOption = new FlipOption();

    @Option(names = "--threads", defaultValue = "1", description = "Intra-op threads for --greedy's evaluations. Default: ${DEFAULT-VALUE}")
    int threads;

    @Override
    public Integer call() throws Exception {
        if (!greedy) {
            if (data != null || only != null || flipOption.flip != null)
                throw new IllegalArgumentException("--data, --only and --[no-]flip score a --greedy soup; without --greedy the soup is the mean of every --model");
            ModelSpec spec = ModelSoup.mix(models, weights, out);
            System.out.println("wrote " + out + " (" + spec.trainedOn + ")");
            return 0;
        }
        if (weights != null) throw new IllegalArgumentException("--weight and --greedy do not go together: a greedy soup gives its models equal shares");
        if (data == null) throw new IllegalArgumentException("--greedy needs --data (validation faces, e.g. --data ../shared/data/300w/train --only runs/a/val-faces.txt) to score the soups");
        List<FaceSample> samples = AnnotatedFaces.load(data, only);
        if (samples.isEmpty())
            throw new IllegalArgumentException("no faces to score the soups in " + data + (only != null ? " named in " + only : ""));
        GreedySoup.Scorer nme = model -> {
            try (LandmarkPredictor p = LandmarkPredictor.load(model, threads)) {
                flipOption.applyTo(p);
                return ModelEvaluation.run(model.getFileName().toString(), p, samples, ModelEvaluation.BoxSource.GROUND_TRUTH, null)
                        .interOcular().meanNme();
            }
        };
        System.out.printf(Locale.ROOT, "scoring on %d faces of %s%s (ground-truth box, inter-ocular NME)%n",
                samples.size(), data, only != null ? " named in " + only : "");
        GreedySoup.Result r = GreedySoup.cook(models, nme, out, System.out);
        System.out.printf(Locale.ROOT, "wrote %s: %d of %d models, NME %.3f %% (best model alone %.3f %%)%n", out,
                r.chosen().size(), models.size(), 100 * r.score(), 100 * r.steps().get(0).ownScore());
        return 0;
    }
}
