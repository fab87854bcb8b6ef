package dev.lightmark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lightmark.eval.CedPlot;
import dev.lightmark.eval.EvalReport;
import dev.lightmark.eval.CalibrationPlot;
import dev.lightmark.eval.ModelEvaluation;
import dev.lightmark.eval.TrustReport;
import dev.lightmark.infer.FacePipeline;
import dev.lightmark.infer.LandmarkPredictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a landmark model on a folder of NAME.jpg + NAME.pts (68 points).")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "Folder of images and .pts files, e.g. ../shared/data/300w/test-common")
    Path data;

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--only", description = "Evaluate only the faces named in this file (one name per line, e.g. a run's val-faces.txt)")
    Path only;

    @Mixin
    FlipOption flipOption = new FlipOption();

    /** The flip test this evaluation runs: --[no-]flip, else the model's default. */
    private boolean flip;

    @Option(names = "--stages", description = "Cascade models only: run at most this many stages (default: all)")
    Integer stages;

    @Option(names = "--exit-threshold", description = "Cascade models only: a face leaves after the first stage whose predicted NME is below this, e.g. 0.05 (default: every face runs every stage)")
    Float exitThreshold;

    @Mixin
    BoxOption boxOption = new BoxOption();

    @Option(names = "--detector", defaultValue = "AUTO",
            description = "With --box detector: FRONT, BACK or AUTO (both, merged). Default: ${DEFAULT-VALUE}")
    FacePipeline.DetectorChoice detector;

    @Option(names = "--ced", description = "Write the cumulative error distribution plot (PNG) here")
    Path ced;

    @Option(names = "--json", description = "Write the full report (with per-face errors) as JSON here")
    Path json;

    @Option(names = "--calibration-plot", description = "Write the predicted-vs-true NME calibration plot (PNG) here")
    Path calibrationPlot;

    @Override
    public Integer call() throws Exception {
        ModelEvaluation.BoxSource source = boxOption.source();
        String box = boxOption.box;
        int threads = modelOptions.threads;
        java.util.List<dev.lightmark.data.FaceSample> samples = AnnotatedFaces.load(data, only);
        if (samples.isEmpty())
            throw new IllegalArgumentException("no faces to evaluate in " + data + (only != null ? " named in " + only : ""));
        String name = modelOptions.displayName() + " / "
                + (source == ModelEvaluation.BoxSource.DETECTOR ? "detector (" + detector + ")" : "ground-truth") + " box";
        ModelEvaluation.Result r;
        long multAdds, parameters;
        try (LandmarkPredictor predictor = modelOptions.load();
             FacePipeline faces = source == ModelEvaluation.BoxSource.DETECTOR
                     ? FacePipeline.create(detector, 0.5f, threads, predictor) : null) {
            flip = flipOption.applyTo(predictor);
            var cascade = predictor.cascade();
            if ((stages != null || exitThreshold != null) && cascade.isEmpty())
                throw new IllegalArgumentException("--stages and --exit-threshold need a cascade model (" + name + " is "
                        + predictor.spec().architecture + (predictor.runtime().equals("onnxruntime")
                        && predictor.spec().architecture.equals("cascade") ? " exported to ONNX, which runs all its stages; use its .lmk" : "") + ")");
            cascade.ifPresent(c -> {
                if (stages != null) c.setRunStages(stages);
                if (exitThreshold != null) c.setExitThreshold(exitThreshold);
                c.resetCounters();
            });
            r = ModelEvaluation.run(name + (flip ? " + flip" : ""), predictor, samples, source, faces);
            // A cascade's stages share one layout, so its mean cost is the mean stage count times one stage.
            multAdds = cascade.map(c -> Math.round(c.meanStagesRun() * c.multAdds(1))).orElse(predictor.multAdds());
            parameters = predictor.parameterCount();
            if (cascade.isEmpty() && multAdds > 0)
                System.out.printf(Locale.ROOT, "network: %.1f M mult-adds per pass%s%n", multAdds / 1e6,
                        flip ? " (two passes per face: flip test)" : "");
            long perPass = multAdds;
            cascade.ifPresent(c -> System.out.printf(Locale.ROOT,
                    "cascade: %.2f of %d stages run on average (exit threshold %s), %.1f M mult-adds per face%s%n",
                    c.meanStagesRun(), c.runStages(), c.exitThreshold() > 0 ? String.format(Locale.ROOT, "%.4f", c.exitThreshold()) : "off",
                    perPass * (flip ? 2 : 1) / 1e6, flip ? " (two passes: flip test)" : ""));
        }
        r.problems().forEach(p -> System.err.println("skipped: " + p));
        EvalReport io = r.interOcular(), ip = r.interPupil();
        System.out.printf(Locale.ROOT, "faces: %d, evaluated: %d%s%n", r.faces(), r.detected(),
                source == ModelEvaluation.BoxSource.DETECTOR ? String.format(Locale.ROOT, " (detector found %.1f%%)", 100.0 * r.detected() / r.faces()) : "");
        System.out.println("inter-ocular: " + io.summary());
        System.out.println("inter-pupil:  " + ip.summary());
        System.out.printf(Locale.ROOT, "landmark model: %.2f ms per face (crop + forward, %d thread%s)%n", r.msPerFace(), threads, threads == 1 ? "" : "s");
        System.out.println("worst faces: " + io.worst(5).stream()
                .map(f -> String.format(Locale.ROOT, "%s %.2f%%", f.id(), 100 * f.nme()))
                .collect(java.util.stream.Collectors.joining(", ")));
        TrustReport trust = TrustReport.of(samples, r.assessed());
        trust.lines().forEach(System.out::println);
        if (calibrationPlot != null) {
            CalibrationPlot.write(calibrationPlot, "Predicted vs true NME, " + data.toAbsolutePath().normalize().getParent().getFileName()
                    + "/" + data.getFileName() + " (" + box + " box"
                    + (flip ? ", flip" : ", one pass") + ")", trust);
            System.out.println("calibration plot: " + calibrationPlot);
        }
        if (ced != null) {
            new CedPlot().title("CED on " + data.getFileName() + " (" + box + " box)")
                    .add(io).addMarker("dlib ERT (own detector)", 0.0320).write(ced);
            System.out.println("CED plot: " + ced);
        }
        if (json != null) {
            ObjectMapper m = new ObjectMapper();
            ObjectNode root = m.createObjectNode();
            root.put("data", data.toString());
            root.put("box", box);
            root.put("faces", r.faces());
            root.put("evaluated", r.detected());
            root.put("msPerFace", r.msPerFace());
            root.put("flipTest", flip);
            // Per network pass (a cascade: its mean stages run); the flip test makes two passes per face. 0 = unknown (ONNX).
            root.put("multAddsPerPass", multAdds);
            root.put("parameters", parameters);
            root.set("interOcular", io.toJsonNode(true));
            root.set("interPupil", ip.toJsonNode(false));
            root.set("trust", trust.toJsonNode());
            Files.writeString(json, m.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        }
        return 0;
    }
}
