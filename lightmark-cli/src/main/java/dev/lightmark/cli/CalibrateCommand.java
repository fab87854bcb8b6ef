package dev.lightmark.cli;

import dev.lightmark.data.FaceSample;
import dev.lightmark.data.PtsFolder;
import dev.lightmark.eval.EvalReport;
import dev.lightmark.eval.ModelEvaluation;
import dev.lightmark.eval.Normalizer;
import dev.lightmark.image.Images;
import dev.lightmark.image.Warp;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.infer.PointCalibration;
import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.progress.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Fit a model's point calibration on annotated training faces (never a test set): the mean shift, "
                + "in pixels, between its points and the annotations, one for a single pass and one for the flip test. "
                + "Write it beside the model as NAME.calibration.json to use it.",
                "With --check, prints the NME on other faces (e.g. validation) before and after.",
                "Also runs the mirror test: the model reads each fitting face and its mirror image, which tells how far right "
                        + "of the image content the annotations lie (a training config's annotationOffsetX) from the model's own lean."})
final class CalibrateCommand implements Callable<Integer> {
    @Option(names = "--data", required = true,
            description = "Folder of NAME.jpg + NAME.pts, optionally DIR@names.txt to use only the faces named there; repeatable")
    List<String> data;

    @Option(names = "--exclude", description = "Leave out the faces named in this file (one name per line), e.g. a run's val-faces.txt")
    Path exclude;

    @Option(names = "--check", description = "Faces to report the NME on before and after (DIR or DIR@names.txt); repeatable")
    List<String> check = new ArrayList<>();

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--out", required = true, description = "Calibration JSON to write (NAME.calibration.json beside NAME.onnx is read with the model; "
            + "an ensemble uses the mean of its members' files, so calibrate each member)")
    Path out;

    @Override
    public Integer call() throws Exception {
        Set<String> left = exclude != null ? PtsFolder.readNames(exclude) : Set.of();
        List<String> sources = new ArrayList<>();
        List<FaceSample> fit = AnnotatedFaces.load(data, left, sources);
        if (fit.isEmpty()) throw new IllegalArgumentException("no faces to fit on in " + data + (exclude != null ? " less " + exclude : ""));
        List<FaceSample> held = AnnotatedFaces.load(check, Set.of(), new ArrayList<>());
        Set<Path> fitImages = new HashSet<>();
        fit.forEach(f -> fitImages.add(f.image()));
        for (FaceSample s : held)
            if (fitImages.contains(s.image()))
                throw new IllegalArgumentException("--check face " + s.name() + " is also a fitting face; leave it out with --exclude");
        PrintWriter o = new PrintWriter(System.out, true);
        PointCalibration.Shift[] shifts = new PointCalibration.Shift[2];
        List<Landmarks> truth = fit.stream().map(FaceSample::landmarks).toList();
        try (LandmarkPredictor lp = modelOptions.load()) {
            lp.setCalibration(PointCalibration.NONE);   // fit on the raw points
            for (int k = 0; k < 2; k++) {
                boolean flip = k == 1;
                String mode = flip ? "flip test" : "one pass";
                lp.setFlipTest(flip);
                List<Landmarks> pred = ModelEvaluation.run(mode, lp, fit, ModelEvaluation.BoxSource.GROUND_TRUTH, null).predictions();
                shifts[k] = PointCalibration.fit(truth, pred);
                PointCalibration only = new PointCalibration(1, "", shifts[k], shifts[k]);
                o.printf(Locale.ROOT, "%s: shift x %+.3f px, y %+.3f px; NME on the %d fitting faces %.2f%% -> %.2f%%%n",
                        mode, shifts[k].x(), shifts[k].y(), fit.size(), 100 * nme(fit, pred, null, flip),
                        100 * nme(fit, pred, only, flip));
                if (!flip) mirrorTest(o, lp, fit, pred);
                if (!held.isEmpty()) {
                    List<Landmarks> hp = ModelEvaluation.run(mode + " (check)", lp, held, ModelEvaluation.BoxSource.GROUND_TRUTH, null).predictions();
                    o.printf(Locale.ROOT, "%s: NME on the %d check faces %.2f%% -> %.2f%%%n", mode, held.size(),
                            100 * nme(held, hp, null, flip), 100 * nme(held, hp, only, flip));
                }
            }
        }
        String on = String.join(" + ", sources) + (exclude != null ? " less " + exclude : "") + ", gt box, model "
                + modelOptions.displayName();
        new PointCalibration(1, on, shifts[0], shifts[1]).save(out);
        o.println("calibration: " + out);
        return 0;
    }

    /**
     * Reads each face's mirror image too. With annotations o px right of the content and a model
     * that leans l px right, the face's points miss by l - o in x and the mirror's (against the
     * mirrored annotations) by l + o.
     */
    private static void mirrorTest(PrintWriter o, LandmarkPredictor lp, List<FaceSample> faces, List<Landmarks> direct) {
        double dx = 0, mx = 0;
        long n = 0;
        try (ProgressBar bar = new ProgressBar("mirror test", faces.size(), "faces")) {
            for (int f = 0; f < faces.size(); f++) {
                bar.step(1);
                Landmarks p = direct.get(f);
                if (p == null) continue;
                FaceSample s = faces.get(f);
                BufferedImage img = Images.read(s.image());
                int w = img.getWidth(), h = img.getHeight();
                Landmarks truth = s.landmarks().mirrored(w, LandmarkScheme.IBUG68);
                Landmarks m = lp.predict(Warp.mirrored(Warp.pixels(img), w, h), w, h, List.of(truth.bounds()), false).get(0);
                for (int i = 0; i < truth.size(); i++) {
                    dx += p.x(i) - s.landmarks().x(i);
                    mx += m.x(i) - truth.x(i);
                    n++;
                }
            }
        }
        dx /= n;
        mx /= n;
        o.printf(Locale.ROOT, "mirror test: the annotations lie %+.3f px right of the image content as this model reads it "
                + "(annotationOffsetX); the model leans %+.3f px right%n", (mx - dx) / 2, (mx + dx) / 2);
    }

    /** Mean inter-ocular NME of the predictions, moved by {@code c} first when it is given. */
    private static double nme(List<FaceSample> faces, List<Landmarks> pred, PointCalibration c, boolean flip) {
        EvalReport.Builder b = EvalReport.builder("calibration", Normalizer.INTER_OCULAR);
        for (int i = 0; i < faces.size(); i++) {
            Landmarks p = pred.get(i);
            if (p == null) continue;
            b.add(faces.get(i).name(), c == null ? p : c.apply(p, flip), faces.get(i).landmarks(), LandmarkScheme.IBUG68);
        }
        return b.build().meanNme();
    }
}
