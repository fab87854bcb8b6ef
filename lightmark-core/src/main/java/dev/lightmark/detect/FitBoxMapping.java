package dev.lightmark.detect;

import dev.lightmark.data.FaceSample;
import dev.lightmark.data.PtsFolder;
import dev.lightmark.geometry.Box;
import dev.lightmark.image.Images;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fits (and evaluates) the {@link LandmarkBoxMapper} that turns BlazeFace boxes into tight
 * 68-landmark boxes. Fits only on the training folder; the test folder, when given, is used for
 * the report alone.
 *
 * <pre>
 * mvn -o -q compile dependency:copy-dependencies -DoutputDirectory=target/lib
 * java -cp 'target/classes:target/lib/*' dev.lightmark.detect.FitBoxMapping \
 *     --train ../shared/data/300w/train --test ../shared/data/300w/test-common \
 *     --out src/main/resources/models/blazeface/box-mapping.json
 * # and for the 256x256 model:
 * java -cp 'target/classes:target/lib/*' dev.lightmark.detect.FitBoxMapping --model BACK_256 \
 *     --train ../shared/data/300w/train --test ../shared/data/300w/test-common \
 *     --out src/main/resources/models/blazeface/box-mapping-back256.json
 * </pre>
 *
 * Options: {@code --model FRONT_128|BACK_256} (default FRONT_128), {@code --fallback BACK_256|none}
 * (default none), {@code --features BOX|KEYPOINTS|auto} (default auto: the one with the better
 * 5-fold cross-validated IoU on train), {@code --ridge R} (default 1e-3), {@code --min-iou M}
 * (raw box IoU for a detection to count as the annotated face, default 0.3), {@code --eval FILE}
 * (evaluate an existing mapping instead of fitting), {@code --threads N}, {@code --score T} and
 * {@code --nms-iou U} (detector settings, defaults 0.5 and 0.3: keep them as the detector's defaults
 * when refitting the bundled file, since the box statistics depend on them).
 */
public final class FitBoxMapping {
    private FitBoxMapping() {}

    /** The detection matched to one annotated face, or null. */
    record Match(FaceSample sample, FaceDetection det, Box truth, int detections) {}

    /** Result of running the detector over a folder. */
    record Run(List<Match> matched, int total, int extraDetections) {
        int found() { return matched.size(); }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        Path train = Path.of(a.getOrDefault("train", "../shared/data/300w/train"));
        Path test = a.containsKey("test") ? Path.of(a.get("test")) : null;
        BlazeFaceModel model = BlazeFaceModel.valueOf(a.getOrDefault("model", "FRONT_128"));
        String fb = a.getOrDefault("fallback", "none");
        BlazeFaceModel fallback = fb.equalsIgnoreCase("none") ? null : BlazeFaceModel.valueOf(fb);
        String feat = a.getOrDefault("features", "auto");
        double ridge = Double.parseDouble(a.getOrDefault("ridge", "1e-3"));
        float minIou = Float.parseFloat(a.getOrDefault("min-iou", "0.3"));
        int threads = Integer.parseInt(a.getOrDefault("threads", "1"));
        BlazeFaceDetector.Options opts = BlazeFaceDetector.Options.defaults()
                .withModel(model).withFallback(fallback).withIntraOpThreads(threads)
                .withScoreThreshold(Float.parseFloat(a.getOrDefault("score", "" + BlazeFaceDetector.DEFAULT_SCORE_THRESHOLD)))
                .withNmsIou(Float.parseFloat(a.getOrDefault("nms-iou", "" + BlazeFaceDetector.DEFAULT_NMS_IOU)));

        try (BlazeFaceDetector det = new BlazeFaceDetector(opts)) {
            String config = model + (fallback != null ? " then " + fallback : "");
            System.out.println("detector: " + config + ", score > " + opts.scoreThreshold() + ", NMS IoU " + opts.nmsIou());
            Run trainRun = a.containsKey("eval") && test != null ? null : run(det, train, minIou);
            if (trainRun != null) report("train", trainRun);
            Run testRun = test != null ? run(det, test, minIou) : null;
            if (testRun != null) report("test", testRun);

            LandmarkBoxMapper mapper;
            if (a.containsKey("eval")) {
                mapper = LandmarkBoxMapper.load(Path.of(a.get("eval")));
                System.out.println("evaluating " + a.get("eval") + ": " + mapper);
            } else {
                List<LandmarkBoxMapper.Features> sets = feat.equals("auto")
                        ? List.of(LandmarkBoxMapper.Features.BOX, LandmarkBoxMapper.Features.KEYPOINTS)
                        : List.of(LandmarkBoxMapper.Features.valueOf(feat));
                LandmarkBoxMapper.Features best = null;
                double bestIou = -1;
                for (LandmarkBoxMapper.Features f : sets) {
                    double cv = crossValidate(trainRun.matched(), f, ridge, 5);
                    System.out.printf(Locale.ROOT, "5-fold CV on train, %s: mean IoU %.4f%n", f, cv);
                    if (cv > bestIou) { bestIou = cv; best = f; }
                }
                Map<String, Object> prov = new LinkedHashMap<>();
                prov.put("trainedOn", "300w/train (" + trainRun.found() + " of " + trainRun.total() + " faces matched)");
                prov.put("detector", config);
                prov.put("scoreThreshold", opts.scoreThreshold());
                prov.put("nmsIou", opts.nmsIou());
                prov.put("matchMinIou", minIou);
                prov.put("ridge", ridge);
                prov.put("cvMeanIou", Math.round(bestIou * 10000) / 10000.0);
                prov.put("date", LocalDate.now().toString());
                prov.put("refit", "java -cp 'target/classes:target/lib/*' dev.lightmark.detect.FitBoxMapping --model " + model
                        + " --train ../shared/data/300w/train --out <file>");
                mapper = LandmarkBoxMapper.fit(dets(trainRun.matched()), truths(trainRun.matched()), best, ridge, prov);
                System.out.println("fitted " + mapper);
                if (a.containsKey("out")) {
                    mapper.save(Path.of(a.get("out")));
                    System.out.println("wrote " + a.get("out"));
                }
            }
            if (trainRun != null) evaluate("train", trainRun, mapper);
            if (testRun != null) evaluate("test", testRun, mapper);
        }
    }

    static Run run(BlazeFaceDetector det, Path dir, float minIou) {
        List<FaceSample> samples = PtsFolder.load(dir, 68).samples();
        List<Match> matched = new ArrayList<>();
        int extra = 0;
        for (FaceSample s : samples) {
            Box gt = s.landmarks().bounds();
            List<FaceDetection> faces = det.detect(Images.read(s.image()));
            FaceDetection best = bestMatch(faces, gt, minIou);
            if (best != null) matched.add(new Match(s, best, gt, faces.size()));
            extra += faces.size() - (best != null ? 1 : 0);
        }
        return new Run(matched, samples.size(), extra);
    }

    /** The detection with the highest IoU with {@code gt}, if that IoU is at least {@code minIou}. */
    static FaceDetection bestMatch(List<FaceDetection> faces, Box gt, float minIou) {
        FaceDetection best = null;
        float bestIou = minIou;
        for (FaceDetection f : faces) {
            float iou = BlazeFaceDecoder.iou(f.box(), gt);
            if (iou >= bestIou) { bestIou = iou; best = f; }
        }
        return best;
    }

    static void report(String name, Run r) {
        System.out.printf(Locale.ROOT, "%s: found %d / %d faces (%.2f%%), %d other detections%n",
                name, r.found(), r.total(), 100.0 * r.found() / r.total(), r.extraDetections());
    }

    static void evaluate(String name, Run r, LandmarkBoxMapper m) {
        double before = 0, after = 0;
        int over50 = 0, over70 = 0;
        for (Match x : r.matched()) {
            before += BlazeFaceDecoder.iou(x.det().box(), x.truth());
            float iou = BlazeFaceDecoder.iou(m.toLandmarkBox(x.det()), x.truth());
            after += iou;
            if (iou > 0.5f) over50++;
            if (iou > 0.7f) over70++;
        }
        int n = Math.max(1, r.found());
        System.out.printf(Locale.ROOT,
                "%s: mean IoU with the tight 68-point box over %d found faces: raw %.4f, mapped %.4f; mapped IoU>0.5: %d, >0.7: %d (of %d faces)%n",
                name, r.found(), before / n, after / n, over50, over70, r.total());
    }

    static double crossValidate(List<Match> all, LandmarkBoxMapper.Features f, double ridge, int folds) {
        double sum = 0;
        for (int k = 0; k < folds; k++) {
            List<Match> tr = new ArrayList<>(), va = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) (i % folds == k ? va : tr).add(all.get(i));
            LandmarkBoxMapper m = LandmarkBoxMapper.fit(dets(tr), truths(tr), f, ridge, Map.of());
            for (Match x : va) sum += BlazeFaceDecoder.iou(m.toLandmarkBox(x.det()), x.truth());
        }
        return sum / all.size();
    }

    static List<FaceDetection> dets(List<Match> ms) { return ms.stream().map(Match::det).toList(); }
    static List<Box> truths(List<Match> ms) { return ms.stream().map(Match::truth).toList(); }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length)
                throw new IllegalArgumentException("usage: FitBoxMapping [--train DIR] [--test DIR] [--out FILE] "
                        + "[--model FRONT_128|BACK_256] [--fallback BACK_256|none] [--features BOX|KEYPOINTS|auto] "
                        + "[--ridge R] [--min-iou M] [--eval FILE] [--threads N] [--score T] [--nms-iou U]");
            m.put(args[i].substring(2), args[++i]);
        }
        return m;
    }
}
