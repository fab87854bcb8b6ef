package dev.lightmark.model.cascade;

import dev.lightmark.model.layers.Scalars;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.lightmark.augment.Augmenter;
import dev.lightmark.augment.CropPolicy;
import dev.lightmark.io.SectionFile;
import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.train.ModelFile;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.train.AdamW;
import dev.lightmark.train.EpochLoop;
import dev.lightmark.train.TrainingRun;
import dev.lightmark.train.Batch;
import dev.lightmark.train.BatchMaker;
import dev.lightmark.train.FaceBank;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Trains a selective cascade. All stages learn in the same loop: on each augmented batch,
 * stage 1 starts from the mean shape, and stage t + 1 starts from the (detached) shape stage t
 * has just produced, so every stage is trained on the shapes its predecessor really gives,
 * the classic cascade scheme, without a separate pass per stage. Each stage's loss is the NME of
 * its updated shape plus the squared error of its error head against that measured NME.
 *
 * <p>Output folder as the PFLD trainer: config.json, val-faces.txt, log.csv, checkpoint.lmk
 * (weights + optimizer + position, exact resume), last.lmk, best.lmk (best validation NME after
 * the last stage).
 */
public final class CascadeTrainer {
    private static final LandmarkScheme SCHEME = LandmarkScheme.IBUG68;

    private final CascadeConfig cfg;
    private final Path out;
    private final PrintStream log;

    /** Position in the run and the epoch's running loss and NME after each stage, saved in checkpoints. */
    public static class State extends EpochLoop.Position {
        public double epochLossSum;
        public double[] epochNmeSum;
        public int epochSamples;

        @Override
        public void clearEpochSums() {
            epochLossSum = 0;
            epochNmeSum = new double[epochNmeSum.length];
            epochSamples = 0;
        }
    }

    public record Result(double firstEpochLoss, double lastEpochLoss, double bestValNme, double[] lastValNme,
                         double secondsPerEpoch) {}

    /** Test hook: throw after this many steps of this run, as a kill would stop it (0 = never). */
    int simulatedKillAfterSteps;

    public CascadeTrainer(CascadeConfig cfg, Path out, PrintStream log) {
        this.cfg = cfg;
        this.out = out;
        this.log = log;
    }

    public Result run() throws IOException {
        cfg.validate();
        TrainingRun.open(out, cfg, CascadeConfig::read);

        // Same split as the PFLD trainer for the same seed and fraction, so val faces are comparable.
        TrainingRun.Split split = TrainingRun.split(cfg, 68, out, log);
        FaceBank trainBank = split.train(), valBank = split.val();

        CropPolicy policy = new CropPolicy(cfg.inputSize, cfg.cropScale);
        BatchMaker trainBatches = new BatchMaker(trainBank, null, policy, cfg.augmentation(), SCHEME, cfg.seed);
        BatchMaker valBatches = new BatchMaker(valBank, null, policy, Augmenter.Settings.NONE, SCHEME, cfg.seed);

        ModelSpec spec = new ModelSpec();
        spec.architecture = "cascade";
        spec.width = 1f;
        spec.inputSize = cfg.inputSize;
        spec.cropScale = cfg.cropScale;
        spec.setSettings(CascadeArchitecture.NAME, cfg.model);
        spec.trainedOn = cfg.trainDir + " (" + trainBank.size() + " faces)";
        int stages = cfg.model.stages;

        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            Engine.getEngine("PyTorch").setRandomSeed((int) cfg.seed);
            CascadeNet net = (CascadeNet) ModelFile.build(spec);
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, cfg.inputSize, cfg.inputSize));
            net.setMeanShape(TrainingRun.meanShape(trainBank, policy, 68));
            for (int t = 0; t < stages; t++) net.stage(t).shrinkRegressor(0.1f);
            log.printf(Locale.ROOT, "cascade: %d stages, %d patches of %dx%d at %d scales, %.2f M mult-adds per stage, %d weights%n",
                    stages, net.patchPoints().length, cfg.model.patchSize, cfg.model.patchSize, cfg.model.scales,
                    net.stage(0).multAdds() / 1e6, weightCount(net));
            TrainingRun.initFrom(cfg, out, spec, net, manager, log);
            AdamW opt = new AdamW(net.getParameters(), manager);
            ParameterStore ps = new ParameterStore(manager, false);
            State st = new State();
            st.epochNmeSum = new double[stages];
            Path ckpt = out.resolve("checkpoint.lmk");
            if (Files.exists(ckpt)) {
                st = TrainingRun.restore(SectionFile.read(ckpt), ckpt, net, opt, manager, State.class);
                log.printf(Locale.ROOT, "resumed from %s at epoch %d step %d%n", ckpt, st.epoch + 1, st.step);
            }
            if (st.epoch == 0 && st.step == 0 && valBank.size() > 0)
                log.printf(Locale.ROOT, "validation NME of the mean shape: %.2f%%%n", 100 * meanShapeNme(net, valBatches, valBank.size()));
            EpochLoop.Plan plan = new EpochLoop.Plan(cfg.epochs, cfg.batchSize, cfg.seed, cfg.checkpointEverySteps,
                    trainBank.size(), 1, valBank.size() > 0);
            double[][] lastVal = {new double[stages]};
            EpochLoop.Outcome o = new EpochLoop<State>(out, log, spec, net, opt, manager, plan)
                    .killAfterSteps(simulatedKillAfterSteps)
                    .run(st, new EpochLoop.Steps<>() {
                        public String csvHeader() { return Epoch.csvHeader(stages); }

                        public float learningRate(int epoch, int step, int stepsPerEpoch) {
                            return CascadeTrainer.this.learningRate(epoch, step, stepsPerEpoch);
                        }

                        public void step(State st, int[] faces, float lr, EpochLoop.Update update) {
                            Batch b = trainBatches.make(faces, st.epoch);
                            StepResult r = trainStep(net, update, ps, manager, b, lr, st.epoch, st.step);
                            st.epochLossSum += r.loss * b.n();
                            for (int t = 0; t < stages; t++) st.epochNmeSum[t] += r.nme[t] * b.n();
                            st.epochSamples += b.n();
                        }

                        public String status(State st, float lr) {
                            return String.format(Locale.ROOT, "loss %.4f nme s1 %.2f%% s%d %.2f%% lr %.1e",
                                    st.epochLossSum / st.epochSamples, 100 * st.epochNmeSum[0] / st.epochSamples,
                                    stages, 100 * st.epochNmeSum[stages - 1] / st.epochSamples, lr);
                        }

                        public EpochLoop.Epoch finish(State st) {
                            double[] trainNme = new double[stages];
                            for (int t = 0; t < stages; t++) trainNme[t] = st.epochNmeSum[t] / Math.max(1, st.epochSamples);
                            Validation v = valBank.size() > 0 ? validate(net, ps, manager, valBatches, valBank.size()) : null;
                            if (v != null) lastVal[0] = v.nme;
                            return new Epoch(st.epochLossSum / Math.max(1, st.epochSamples), trainNme, v);
                        }
                    });
            return new Result(o.firstLoss(), o.lastLoss(), st.bestValNme, lastVal[0], o.epochsRun() == 0 ? 0 : o.secondsPerEpoch());
        }
    }

    private record StepResult(float loss, float[] nme) {}

    /** One optimisation step over all stages; stage inputs are detached shapes, so the graphs are independent. */
    private StepResult trainStep(CascadeNet net, EpochLoop.Update update, ParameterStore ps, NDManager manager, Batch b, float lr,
                                 int epoch, int stepIndex) {
        int n = b.n(), k2 = 2 * net.points(), stages = net.stageCount();
        float[][] pyr = net.pyramid(b.images(), n);
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        float[] cur = net.startShapes(n);
        float[] nme = new float[stages];
        SplittableRandom noise = new SplittableRandom(cfg.seed * 31L + epoch * 1_000_003L + stepIndex);
        float loss;
        try (NDManager step = manager.newSubManager()) {
            NDArray y = step.create(b.targets(), new Shape(n, k2));
            NDArray io = step.create(b.interOcular(), new Shape(n));
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray total = null;
                for (int t = 0; t < stages; t++) {
                    float[] start = cur.clone();
                    if (t > 0 && cfg.shapeNoise > 0)
                        for (int i = 0; i < start.length; i++) start[i] += (float) (gaussian(noise) * cfg.shapeNoise);
                    NDArray x = step.create(net.patches(pyr, all, start), net.patchShape(n));
                    NDList o = net.stage(t).forward(ps, new NDList(x), true);
                    NDArray pred = step.create(start, new Shape(n, k2)).add(o.get(0));
                    NDArray per = pointError(pred, y, n, k2 / 2).div(io);                     // (n) NME per face
                    // Squared error: its gradient fades near the target, so Adam settles instead of oscillating.
                    NDArray errLoss = o.get(1).sub(per.stopGradient()).square().mean();
                    NDArray l = per.mean().add(Scalars.mul(errLoss, cfg.errorWeight));   // Scalars: safe for backward
                    total = total == null ? l : total.add(l);
                    cur = pred.toFloatArray();
                    nme[t] = per.mean().getFloat();
                }
                loss = total.getFloat();
                if (Float.isFinite(loss)) gc.backward(total);   // a non-finite loss is stopped by the update below
            }
            update.apply(loss, lr, cfg.weightDecay, step);
        }
        return new StepResult(loss, nme);
    }

    /** Mean Euclidean distance per face between (n, 2K) point sets. */
    static NDArray pointError(NDArray pred, NDArray target, int n, int k) {
        NDArray d = pred.sub(target).reshape(n, k, 2);
        return d.square().sum(new int[]{2}).add(1e-10f).sqrt().mean(new int[]{1});
    }

    private static double gaussian(SplittableRandom r) {
        double u = Math.max(1e-12, r.nextDouble()), v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    record Validation(double[] nme, double errorMae) {}

    /** An epoch: loss, training NME after each stage and the validation (null without validation faces). */
    private record Epoch(double loss, double[] trainNme, Validation v) implements EpochLoop.Epoch {
        static String csvHeader(int stages) {
            StringBuilder h = new StringBuilder("epoch,train_loss");
            for (int t = 1; t <= stages; t++) h.append(",train_nme_s").append(t);
            for (int t = 1; t <= stages; t++) h.append(",val_nme_s").append(t);
            return h.append(",val_error_mae,lr,seconds").toString();
        }

        /** NME after the last stage. */
        @Override
        public double valNme() { return v == null ? Double.NaN : v.nme[v.nme.length - 1]; }

        @Override
        public String csvRow(int epoch, float lr, double seconds) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%d,%.6f", epoch, loss));
            for (double x : trainNme) row.append(String.format(Locale.ROOT, ",%.6f", x));
            for (double x : v == null ? new double[trainNme.length] : v.nme) row.append(String.format(Locale.ROOT, ",%.6f", x));
            row.append(String.format(Locale.ROOT, ",%.6f,%.3e,%.1f%n", v == null ? Double.NaN : v.errorMae, lr, seconds));
            return row.toString();
        }

        @Override
        public String message(int epoch, boolean best, double seconds) {
            return String.format(Locale.ROOT, "epoch %d: loss %.5f train NME %s val NME %s error-head MAE %.2f%%%s (%.0f s)",
                    epoch, loss, percents(trainNme), v == null ? "-" : percents(v.nme),
                    v == null ? Double.NaN : 100 * v.errorMae, best ? " (best)" : "", seconds);
        }
    }

    private Validation validate(CascadeNet net, ParameterStore ps, NDManager manager, BatchMaker maker, int n) {
        int stages = net.stageCount(), k2 = 2 * net.points();
        double[] sum = new double[stages];
        double errSum = 0;
        for (int from = 0; from < n; from += 32) {
            int[] idx = new int[Math.min(32, n - from)];
            for (int i = 0; i < idx.length; i++) idx[i] = from + i;
            Batch b = maker.make(idx, 0);
            try (NDManager step = manager.newSubManager()) {
                CascadeNet.Trace tr = net.run(ps, step, b.images(), b.n(), stages, 0f);
                for (int t = 0; t < stages; t++)
                    for (int i = 0; i < b.n(); i++) {
                        double e = faceNme(tr.shapes()[t], b.targets(), i, k2, b.interOcular()[i]);
                        sum[t] += e;
                        errSum += Math.abs(tr.predictedError()[t][i] - e) / stages;
                    }
            }
        }
        for (int t = 0; t < stages; t++) sum[t] /= n;
        return new Validation(sum, errSum / n);
    }

    private double meanShapeNme(CascadeNet net, BatchMaker maker, int n) {
        int k2 = 2 * net.points();
        float[] mean = net.meanShape();
        double sum = 0;
        for (int from = 0; from < n; from += 64) {
            int[] idx = new int[Math.min(64, n - from)];
            for (int i = 0; i < idx.length; i++) idx[i] = from + i;
            Batch b = maker.make(idx, 0);
            for (int i = 0; i < b.n(); i++) sum += faceNme(net.startShapes(1), b.targets(), i, k2, b.interOcular()[i]);
        }
        return sum / n;
    }

    /** NME of face i in crop units: {@code shapes} holds one 2K row per face (or a single row for all). */
    static double faceNme(float[] shapes, float[] targets, int i, int k2, float io) {
        int so = shapes.length == k2 ? 0 : i * k2, to = i * k2;
        double e = 0;
        for (int j = 0; j < k2; j += 2)
            e += Math.hypot(shapes[so + j] - targets[to + j], shapes[so + j + 1] - targets[to + j + 1]);
        return e / (k2 / 2) / io;
    }

    /** Linear warm-up, then cosine decay to the minimum by the last step. */
    float learningRate(int epoch, int step, int stepsPerEpoch) {
        return TrainingRun.warmupCosine(cfg.learningRate, cfg.minLearningRate, cfg.warmupEpochs, cfg.epochs, epoch, step, stepsPerEpoch);
    }

    private static long weightCount(CascadeNet net) {
        long total = 0;
        for (var p : net.getParameters()) total += p.getValue().getArray().size();
        return total;
    }

    private static String percents(double[] v) {
        StringBuilder s = new StringBuilder();
        for (double x : v) s.append(s.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f%%", 100 * x));
        return s.toString();
    }

}
