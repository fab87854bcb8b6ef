package dev.lightmark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lightmark.model.cascade.CascadeSweep;
import dev.lightmark.data.FaceSample;
import dev.lightmark.infer.FacePipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Score a cascade for every fixed stage count and for early exit at given thresholds, from one pass over the faces "
                + "(one pass per face, no flip test): NME, mean stages run, mult-adds and ms per face.")
final class CascadeSweepCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Cascade model (.lmk)")
    Path model;

    @Option(names = "--data", required = true, description = "Folder of NAME.jpg + NAME.pts (68 points)")
    Path data;

    @Option(names = "--only", description = "Only the faces named in this file (e.g. a run's val-faces.txt)")
    Path only;

    @Option(names = "--box", defaultValue = "gt", description = "gt (tight ground-truth box) or detector. Default: ${DEFAULT-VALUE}")
    String box;

    @Option(names = "--detector", defaultValue = "AUTO", description = "With --box detector: FRONT, BACK or AUTO. Default: ${DEFAULT-VALUE}")
    FacePipeline.DetectorChoice detector;

    @Option(names = "--thresholds", split = ",", description = "Exit thresholds on the predicted NME, e.g. 0.03,0.04,0.05")
    List<Double> thresholds = new ArrayList<>();

    @Option(names = "--choose", split = ",", description = "Also find, for each relative NME tolerance given (e.g. 0.01,0.05), the threshold "
            + "that runs the fewest stages while staying within it of running every stage; use on validation faces only")
    List<Double> tolerances = new ArrayList<>();

    @Option(names = "--json", description = "Write the rows and the per-face stage errors as JSON here (input of 'cascade plot')")
    Path json;

    @Option(names = "--threads", defaultValue = "1", description = "Intra-op threads. Default: ${DEFAULT-VALUE}")
    int threads;

    @Override
    public Integer call() throws Exception {
        if (!box.equals("gt") && !box.equals("detector"))
            throw new IllegalArgumentException("--box must be gt or detector, not '" + box + "'");
        for (double t : thresholds)
            if (!(t > 0)) throw new IllegalArgumentException("--thresholds must be positive, got " + t);
        for (double t : tolerances)
            if (!(t >= 0)) throw new IllegalArgumentException("--choose tolerances must be >= 0, got " + t);
        List<FaceSample> samples = AnnotatedFaces.load(data, only);
        if (samples.isEmpty()) throw new IllegalArgumentException("no faces to score in " + data);
        CascadeSweep.Sweep sw;
        try (FacePipeline faces = box.equals("detector") ? FacePipeline.create(detector, 0.5f, threads, null) : null) {
            sw = CascadeSweep.run(model, samples, faces, threads);
        }
        if (sw.faces().isEmpty()) throw new IllegalStateException("no face could be scored");
        int stages = sw.faces().get(0).nme().length;
        List<CascadeSweep.Row> rows = new ArrayList<>();
        for (int n = 1; n <= stages; n++) rows.add(CascadeSweep.score(sw, n, 0));
        List<Double> all = new ArrayList<>(thresholds);
        for (double tol : tolerances) {
            double t = CascadeSweep.chooseThreshold(sw, stages, tol);
            System.out.printf(Locale.ROOT, "NME within +%.1f %% of %d stages: threshold %s%n", 100 * tol, stages,
                    t > 0 ? String.format(Locale.ROOT, "%.5f", t) : "none (no early exit stays within it)");
            if (t > 0 && !all.contains(t)) all.add(t);
        }
        for (double t : all) rows.add(CascadeSweep.score(sw, stages, t));
        System.out.printf(Locale.ROOT, "%s on %s (%s box): %d faces scored of %d%n", model.getFileName(), data, box, sw.faces().size(), sw.total());
        System.out.println("| policy | NME inter-ocular | FR@0.10 | mean stages | M mult-adds per face | ms per face |");
        System.out.println("|---|---|---|---|---|---|");
        for (CascadeSweep.Row r : rows)
            System.out.printf(Locale.ROOT, "| %s | %.2f %% | %.1f %% | %.2f | %.1f | %.2f |%n", r.policy(), 100 * r.nme(),
                    100 * r.failureRate10(), r.meanStages(), r.multAdds() / 1e6, r.msPerFace());
        if (json != null) {
            ObjectMapper m = new ObjectMapper();
            ObjectNode root = m.createObjectNode();
            root.put("model", model.toString());
            root.put("data", data.toString());
            root.put("box", box);
            root.put("faces", sw.faces().size());
            root.put("total", sw.total());
            root.put("stageMultAdds", sw.stageMultAdds());
            ArrayNode rs = root.putArray("rows");
            for (CascadeSweep.Row r : rows) rs.add(m.valueToTree(r));
            ArrayNode fs = root.putArray("perFace");
            for (CascadeSweep.Face f : sw.faces()) {
                ObjectNode o = fs.addObject();
                o.put("name", f.name());
                o.set("nme", m.valueToTree(f.nme()));
                o.set("predicted", m.valueToTree(f.predicted()));
            }
            Path parent = json.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.writeString(json, m.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            System.out.println("json: " + json);
        }
        return 0;
    }
}
