package dev.lightmark.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lightmark.augment.CropPolicy;
import dev.lightmark.data.FaceSample;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.data.PtsFolder;
import dev.lightmark.io.SectionFile;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.model.layers.TorchSetup;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * What every trainer shares: the run folder (one config per folder), the seeded validation split,
 * checkpoints (weights + optimizer + position, written atomically) and the position in the run.
 */
public final class TrainingRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingRun() {}

    /** Position in the run and the epoch's running loss and NME, saved in checkpoints. */
    public static class State extends EpochLoop.Position {
        public double epochLossSum;
        public double epochNmeSum;
        public int epochSamples;

        /** Adds a step's mean loss and NME over its {@code n} faces. */
        public void add(float loss, float nme, int n) {
            epochLossSum += loss * n;
            epochNmeSum += nme * n;
            epochSamples += n;
        }

        /** The progress bar's text: the epoch's mean loss and NME so far. */
        public String status(float lr) {
            return String.format(Locale.ROOT, "loss %.5f nme %.2f%% lr %.1e",
                    epochLossSum / epochSamples, 100 * epochNmeSum / epochSamples, lr);
        }

        /** The epoch's means and its validation NME. */
        public LossAndNme epoch(double valNme) {
            return new LossAndNme(epochLossSum / Math.max(1, epochSamples), epochNmeSum / Math.max(1, epochSamples), valNme);
        }

        @Override
        public void clearEpochSums() {
            epochLossSum = epochNmeSum = 0;
            epochSamples = 0;
        }
    }

    /** An epoch of a trainer with one loss and one NME (regression, heatmaps): its log.csv row and log line. */
    public record LossAndNme(double loss, double nme, double valNme) implements EpochLoop.Epoch {
        public static final String CSV_HEADER = "epoch,train_loss,train_nme,val_nme,lr,seconds";

        @Override
        public String csvRow(int epoch, float lr, double seconds) {
            return String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.3e,%.1f%n", epoch, loss, nme, valNme, lr, seconds);
        }

        @Override
        public String message(int epoch, boolean best, double seconds) {
            return String.format(Locale.ROOT, "epoch %d: loss %.5f train NME %.2f%% val NME %.2f%%%s (%.0f s)",
                    epoch, loss, 100 * nme, 100 * valNme, best ? " (best)" : "", seconds);
        }
    }

    public static Path checkpoint(Path out) { return out.resolve("checkpoint.lmk"); }

    /**
     * Refuses to resume a folder that holds a run of another config. {@code savedAsNow} reads the
     * saved config with today's thread count: threads change how a run executes, not what it computes.
     */
    public static void checkSameConfig(Path out, String configJson, Supplier<String> savedAsNow) {
        if (Files.exists(out.resolve("config.json")) && Files.exists(checkpoint(out)) && !savedAsNow.get().equals(configJson))
            throw new IllegalStateException(out + " holds a run with another config; use a new --out or the same config");
    }

    /**
     * Opens a run folder for training: sets the threads, creates the folder, refuses a resume with
     * another config (read back with {@code reader}) and writes config.json.
     */
    public static <C extends CommonTrainingConfig> void open(Path out, C cfg, java.util.function.Function<Path, C> reader)
            throws IOException {
        // Files a config names are checked when a run starts (the configs themselves travel without them).
        if (cfg.initFrom != null && !Files.isRegularFile(Path.of(cfg.initFrom)))
            throw new IllegalArgumentException("initFrom must name a model file (.lmk, or an .onnx from lightmark export), not found: " + cfg.initFrom);
        TorchSetup.configure(cfg.threads);
        Files.createDirectories(out);
        Path cfgFile = out.resolve("config.json");
        checkSameConfig(out, cfg.toJson(), () -> {
            C saved = reader.apply(cfgFile);
            saved.threads = cfg.threads;
            return saved.toJson();
        });
        cfg.write(cfgFile);
    }

    public record Split(FaceBank train, FaceBank val) {}

    /**
     * Loads a .pts folder and holds out {@code valFraction} of it, chosen by seed. The held-out
     * names go to val-faces.txt, so that model choices can be checked on them (eval --only),
     * never on a test set.
     */
    public static Split split(String dir, int points, int maxSamples, float valFraction, long seed, Path out, PrintStream log)
            throws IOException {
        return split(dir, List.of(), points, maxSamples, valFraction, seed, out, log);
    }

    /** As above, with the faces of {@code extraDirs} added to the training side only. */
    public static Split split(String dir, List<String> extraDirs, int points, int maxSamples, float valFraction, long seed,
                              Path out, PrintStream log) throws IOException {
        return split(dir, 1, extraDirs, points, maxSamples, valFraction, seed, out, log);
    }

    /** The split a config asks for: its folders, repeats, share and seed. */
    public static Split split(CommonTrainingConfig cfg, int points, Path out, PrintStream log) throws IOException {
        return split(cfg.trainDir, cfg.trainRepeats, cfg.extraTrainDirs, points, cfg.maxSamples, cfg.valFraction, cfg.splitSeed(), out, log);
    }

    /** As above, with dir's training faces {@code repeats} times (their images decoded once). */
    public static Split split(String dir, int repeats, List<String> extraDirs, int points, int maxSamples, float valFraction,
                              long seed, Path out, PrintStream log) throws IOException {
        if (repeats < 1) throw new IllegalArgumentException("trainRepeats must be at least 1, not " + repeats);
        PtsFolder.Loaded data = PtsFolder.load(Path.of(dir), points);
        data.problems().forEach(p -> log.println("skipped: " + p));
        List<FaceSample> all = new ArrayList<>(data.samples());
        if (maxSamples > 0 && all.size() > maxSamples) all = all.subList(0, maxSamples);
        int[] perm = permutation(all.size(), new SplittableRandom(seed));
        int nVal = Math.round(all.size() * valFraction);
        List<FaceSample> train = new ArrayList<>(), val = new ArrayList<>();
        for (int i = 0; i < perm.length; i++) (i < nVal ? val : train).add(all.get(perm[i]));
        Files.write(out.resolve("val-faces.txt"), val.stream().map(FaceSample::name).toList());
        List<FaceSample> own = List.copyOf(train);
        for (int r = 1; r < repeats; r++) train.addAll(own);
        if (repeats > 1) log.printf(Locale.ROOT, "training faces of %s: %d, %d times%n", dir, own.size(), repeats);
        // An extra folder may be trainDir itself (e.g. its training faces again, DIR@list); a
        // validation face in it would be learnt and then scored, so it is refused.
        java.util.Set<Path> valImages = new java.util.HashSet<>();
        val.forEach(f -> valImages.add(f.image().toAbsolutePath().normalize()));
        for (String extra : extraDirs) {
            PtsFolder.Loaded more = PtsFolder.loadSelection(extra, points);
            more.problems().forEach(p -> log.println("skipped: " + p));
            for (FaceSample f : more.samples())
                if (valImages.contains(f.image().toAbsolutePath().normalize()))
                    throw new IllegalArgumentException("extraTrainDirs " + extra + " holds the validation face " + f.name()
                            + " of " + dir + "; name only training faces (DIR@list, see " + out.resolve("val-faces.txt")
                            + "), or learn trainDir's training faces more often with trainRepeats");
            train.addAll(more.samples());
            log.printf(Locale.ROOT, "extra training faces: %d from %s%n", more.samples().size(), extra);
        }
        FaceBank trainBank = FaceBank.load(train, "loading train");
        FaceBank valBank = FaceBank.load(val, "loading val");
        trainBank.problems().forEach(p -> log.println("skipped: " + p));
        valBank.problems().forEach(p -> log.println("skipped: " + p));
        log.printf(Locale.ROOT, "train %d faces, validation %d faces%n", trainBank.size(), valBank.size());
        if (trainBank.size() == 0) throw new IllegalStateException("no usable training faces in " + dir);
        return new Split(trainBank, valBank);
    }

    public static void save(Path ckpt, Object state, ModelSpec spec, Block net, Optimizer opt, NDManager manager) throws IOException {
        save(ckpt, state, spec, net, opt, manager, Map.of());
    }

    /** A checkpoint: the model file's sections, the optimizer, {@code extra} sections, then the position. */
    public static void save(Path ckpt, Object state, ModelSpec spec, Block net, Optimizer opt, NDManager manager,
                            Map<String, byte[]> extra) throws IOException {
        Map<String, byte[]> s = new LinkedHashMap<>(ModelFile.sections(spec, net));
        try (NDManager tmp = manager.newSubManager()) {
            s.put("optimizer", opt.state(tmp).encode());
        }
        s.putAll(extra);
        s.put("state", JSON.writeValueAsBytes(state));
        SectionFile.write(ckpt, s);
    }

    public static State restore(Path ckpt, Block net, Optimizer opt, NDManager manager) throws IOException {
        return restore(SectionFile.read(ckpt), ckpt, net, opt, manager, State.class);
    }

    /** Puts the weights and optimizer of a checkpoint's sections back and returns its position. */
    public static <S> S restore(Map<String, byte[]> s, Path ckpt, Block net, Optimizer opt, NDManager manager, Class<S> stateType)
            throws IOException {
        try {
            net.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(s.get("weights"))));
        } catch (MalformedModelException e) {
            throw new IOException(ckpt + ": weights do not fit the model: " + e.getMessage(), e);
        }
        trainAgain(net);
        try (NDManager tmp = manager.newSubManager()) {
            opt.restore(NDList.decode(tmp, s.get("optimizer")));
        }
        return JSON.readValue(new String(s.get("state"), StandardCharsets.UTF_8), stateType);
    }

    /**
     * Fine-tuning: on a new run whose config names {@code initFrom}, puts that model file's weights
     * into the freshly initialised {@code net}, which must be of the same architecture and shapes
     * ({@code spec.architecture}); does nothing otherwise, and nothing when {@code out} holds a
     * checkpoint (a resume reads its weights from there). Call it before the optimizer is made.
     */
    public static void initFrom(CommonTrainingConfig cfg, Path out, ModelSpec spec, Block net, NDManager manager, PrintStream log)
            throws IOException {
        initFrom(cfg, out, spec, net, manager, log, key -> null);
    }

    /**
     * As above; a float ONNX file may also be of a smaller network of the same family, whose
     * missing parameters {@code missing} names (e.g. a second hourglass stack grown from the first).
     */
    public static void initFrom(CommonTrainingConfig cfg, Path out, ModelSpec spec, Block net, NDManager manager, PrintStream log,
                                OnnxWeights.Missing missing) throws IOException {
        String file = cfg.initFrom;
        if (file == null || Files.exists(checkpoint(out))) return;
        Path path = Path.of(file);
        if (file.toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            // A float export (a shipped model whose .lmk is gone): its weights, batch norms folded.
            List<String> norms;
            try {
                norms = OnnxWeights.load(net, Files.readAllBytes(path), file, missing);
            } catch (IOException e) {
                throw new IllegalArgumentException("initFrom " + e.getMessage(), e);
            }
            // Batch norms folded away: set them from 32 training faces so training mode starts at the file's function.
            CalibrationFaces.Inputs faces = CalibrationFaces.from(cfg.trainDir, 32, spec);
            try (NDManager m = manager.newSubManager()) {
                OnnxWeights.calibrate(net, norms, m.create(faces.data(), new ai.djl.ndarray.types.Shape(faces.count(), 3, spec.inputSize, spec.inputSize)));
            }
            trainAgain(net);
            log.printf(Locale.ROOT, "weights initialised from %s (ONNX; %d folded batch norms set from %s)%n", file, norms.size(), faces.source());
            return;
        }
        Map<String, byte[]> s = SectionFile.read(path);
        if (!s.containsKey("spec") || !s.containsKey("weights"))
            throw new IOException(file + ": not a model file (no spec or weights section)");
        ModelSpec from = JSON.readValue(new String(s.get("spec"), StandardCharsets.UTF_8), ModelSpec.class);
        if (!java.util.Objects.equals(from.architecture, spec.architecture))
            throw new IllegalArgumentException("initFrom " + file + " holds a " + from.architecture
                    + " model; this run trains " + spec.architecture);
        // DJL replaces each array by the stored one without comparing shapes: compare them here.
        Map<String, ai.djl.ndarray.types.Shape> shapes = new LinkedHashMap<>();
        for (var p : net.getParameters()) shapes.put(p.getKey(), p.getValue().getArray().getShape());
        try {
            net.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(s.get("weights"))));
        } catch (MalformedModelException | RuntimeException e) {
            throw new IllegalArgumentException("initFrom " + file + ": its weights do not fit this config's network ("
                    + e.getMessage() + ")", e);
        }
        for (var p : net.getParameters()) {
            var loaded = p.getValue().getArray().getShape();
            if (!loaded.equals(shapes.get(p.getKey())))
                throw new IllegalArgumentException("initFrom " + file + ": its weights do not fit this config's network ("
                        + p.getKey() + " is " + loaded + " there, " + shapes.get(p.getKey()) + " here)");
        }
        trainAgain(net);
        log.printf(Locale.ROOT, "weights initialised from %s%n", file);
    }

    /** Loading replaces a block's arrays; the new ones must take part in autograd again. */
    private static void trainAgain(Block net) {
        for (var p : net.getParameters())
            if (p.getValue().requiresGradient()) p.getValue().getArray().setRequiresGradient(true);
    }

    /** Mean inter-ocular NME of a batch: (N, 2K) predictions and targets, (N) inter-ocular distances. */
    public static float meanNme(float[] pred, float[] target, float[] io) {
        int n = io.length, k = pred.length / n / 2;
        double total = 0;
        for (int b = 0; b < n; b++) {
            double e = 0;
            for (int i = 0; i < k; i++) {
                int o = b * 2 * k + 2 * i;
                e += Math.hypot(pred[o] - target[o], pred[o + 1] - target[o + 1]);
            }
            total += e / k / io[b];
        }
        return (float) (total / n);
    }

    /** Mean of the faces' first {@code points} landmarks in crop units (0..1): where a regression head starts. */
    public static float[] meanShape(FaceBank bank, CropPolicy policy, int points) {
        float[] mean = new float[2 * points];
        for (FaceBank.Face f : bank.faces()) {
            Landmarks lm = f.sample().landmarks().transform(policy.toCrop(f.sample().faceBox(), 0f));
            for (int i = 0; i < points; i++) {
                mean[2 * i] += lm.x(i) / policy.inputSize() / bank.size();
                mean[2 * i + 1] += lm.y(i) / policy.inputSize() / bank.size();
            }
        }
        return mean;
    }

    /** Linear warm-up over {@code warmupEpochs}, then cosine decay to {@code minRate} by the last step. */
    public static float warmupCosine(float rate, float minRate, int warmupEpochs, int epochs,
                                     int epoch, int step, int stepsPerEpoch) {
        double total = (double) epochs * stepsPerEpoch;
        double t = (double) epoch * stepsPerEpoch + step;
        double warm = (double) warmupEpochs * stepsPerEpoch;
        if (t < warm) return (float) (rate * (t + 1) / warm);
        double p = Math.min(1, (t - warm) / Math.max(1, total - warm));
        return (float) (minRate + 0.5 * (rate - minRate) * (1 + Math.cos(Math.PI * p)));
    }

    /** Fisher-Yates shuffle of 0..n-1. */
    public static int[] permutation(int n, SplittableRandom r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
