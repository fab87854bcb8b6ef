package dev.lightmark.cli;

import dev.lightmark.data.FaceSample;
import dev.lightmark.eval.ModelEvaluation;
import dev.lightmark.eval.TrustReport;
import dev.lightmark.infer.FacePipeline;
import dev.lightmark.infer.FacePrediction;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.quality.QualityFit;
import dev.lightmark.quality.QualityModel;
import dev.lightmark.quality.QualitySignals;
import dev.lightmark.quality.Ranking;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "quality", mixinStandardHelpOptions = true,
        description = "The model's own error estimate (predicted NME, point confidence): fit it on validation faces.",
        subcommands = {QualityCommand.Fit.class})
final class QualityCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(System.out); }

    @Command(name = "fit", mixinStandardHelpOptions = true,
            description = {"Fit the predicted-NME and point-confidence model on annotated validation faces (never a test set) "
                    + "and write it as JSON; put it beside the model as NAME.quality.json to use it.",
                    "Prints each signal's Spearman correlation with the true NME and 5-fold cross-validated results."})
    static final class Fit implements Callable<Integer> {
        @Option(names = "--data", required = true,
                description = "Folder of NAME.jpg + NAME.pts, optionally DIR@names.txt to use only the faces named there; repeatable")
        List<String> data;

        @Mixin
        ModelOptions modelOptions = new ModelOptions();

        @Mixin
        BoxOption boxOption = new BoxOption();

        @Option(names = "--out", required = true, description = "Quality model JSON to write")
        Path out;

        @Option(names = "--csv", description = "Also write every face's signals and true NME (flip test) as CSV here")
        Path csv;

        @Override
        public Integer call() throws Exception {
            List<String> sources = new ArrayList<>();
            List<FaceSample> samples = AnnotatedFaces.load(data, java.util.Set.of(), sources);
            ModelEvaluation.BoxSource source = boxOption.source();
            int threads = modelOptions.threads;
            List<QualityFit.Sample> withFlip, single;
            try (LandmarkPredictor lp = modelOptions.load();
                 FacePipeline faces = source == ModelEvaluation.BoxSource.DETECTOR
                         ? FacePipeline.create(FacePipeline.DetectorChoice.AUTO, 0.5f, threads, lp) : null) {
                lp.setFlipTest(true);
                withFlip = fitSamples(samples, ModelEvaluation.run("flip", lp, samples, source, faces));
                lp.setFlipTest(false);
                single = fitSamples(samples, ModelEvaluation.run("one pass", lp, samples, source, faces));
            }
            String on = String.join(" + ", sources) + ", " + boxOption.box + " box, model "
                    + modelOptions.displayName();
            QualityModel flipModel = QualityFit.fit(withFlip, on);
            QualityModel oneModel = QualityFit.fit(single, on);
            QualityModel m = flipModel;
            m.noFlip = oneModel.noFlip;
            PrintWriter o = new PrintWriter(System.out, true);
            o.printf(Locale.ROOT, "faces: %d with flip, %d one pass%n", withFlip.size(), single.size());
            report(o, "flip test", withFlip, true);
            report(o, "one pass", single, false);
            m.save(out);
            o.println("quality model: " + out);
            if (csv != null) writeCsv(csv, withFlip);
            return 0;
        }

        private static List<QualityFit.Sample> fitSamples(List<FaceSample> samples, ModelEvaluation.Result r) {
            List<QualityFit.Sample> out = new ArrayList<>();
            for (int i = 0; i < samples.size(); i++) {
                FacePrediction p = r.assessed().get(i);
                if (p == null) continue;
                TrustReport.Face f = TrustReport.face(samples.get(i).name(), samples.get(i).landmarks(), p.points(), p.quality());
                out.add(new QualityFit.Sample(p.signals(), f.nme(), f.pointError()));
            }
            return out;
        }

        /** Per-signal Spearman on all faces, then 5-fold cross-validated Spearman / failure AUC of the fitted model. */
        private static void report(PrintWriter o, String mode, List<QualityFit.Sample> s, boolean flip) {
            double[] nme = s.stream().mapToDouble(QualityFit.Sample::nme).toArray();
            String[] names = QualitySignals.featureNames(flip);
            o.println(mode + ": Spearman of each signal with the true NME");
            for (int f = 0; f < names.length; f++) {
                double[] v = new double[s.size()];
                for (int i = 0; i < v.length; i++) v[i] = s.get(i).signals().faceFeatures(flip)[f + 1];
                double rho = Ranking.spearman(v, nme);
                o.printf(Locale.ROOT, "  %-36s %s%n", names[f], Double.isNaN(rho) ? "n/a (constant here)" : String.format(Locale.ROOT, "%+.3f", rho));
            }
            double[] pred = new double[s.size()];
            List<TrustReport.Face> faces = new ArrayList<>();
            int folds = 5;
            for (int k = 0; k < folds; k++) {
                List<QualityFit.Sample> train = new ArrayList<>();
                for (int i = 0; i < s.size(); i++) if (i % folds != k) train.add(s.get(i));
                QualityModel m = QualityFit.fit(train, "fold");
                if (!flip) m.flip = null;
                for (int i = k; i < s.size(); i += folds) pred[i] = m.rawPredictedNme(s.get(i).signals());
            }
            boolean[] fail = new boolean[s.size()];
            for (int i = 0; i < fail.length; i++) fail[i] = nme[i] > 0.10;
            o.printf(Locale.ROOT, "  5-fold cross-validated: Spearman %.3f, failure AUC %.3f (%d failures of %d)%n",
                    Ranking.spearman(pred, nme), Ranking.rocAuc(pred, fail), countTrue(fail), fail.length);
        }

        private static int countTrue(boolean[] b) {
            int n = 0;
            for (boolean x : b) if (x) n++;
            return n;
        }

        private static void writeCsv(Path file, List<QualityFit.Sample> s) throws java.io.IOException {
            StringBuilder sb = new StringBuilder("nme,");
            sb.append(String.join(",", QualitySignals.featureNames(true))).append('\n');
            for (QualityFit.Sample x : s) {
                sb.append(x.nme());
                double[] f = x.signals().faceFeatures(true);
                for (int i = 1; i < f.length; i++) sb.append(',').append(f[i]);
                if (System.getenv("LIGHTMARK_QUALITY_DUMP") != null) {
                    for (float v : x.signals().points()) sb.append(',').append(v);
                    for (float v : x.signals().disagreement()) sb.append(',').append(v);
                    for (double v : x.pointError()) sb.append(',').append(v);
                }
                sb.append('\n');
            }
            Files.writeString(file, sb);
        }
    }
}
