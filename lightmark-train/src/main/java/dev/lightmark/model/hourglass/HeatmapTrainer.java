package dev.lightmark.model.hourglass;

import dev.lightmark.model.pfld.RegressionTrainer;
import dev.lightmark.train.EpochLoop;
import dev.lightmark.train.FaceBank;
import dev.lightmark.train.HeatmapBatch;
import dev.lightmark.train.HeatmapBatchMaker;
import dev.lightmark.train.RmsProp;
import dev.lightmark.train.StepSchedule;
import dev.lightmark.train.SoftTargets;
import dev.lightmark.train.TrainingRun;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.lightmark.augment.Augmenter;
import dev.lightmark.augment.CropEffects;
import dev.lightmark.augment.CropPolicy;
import dev.lightmark.heatmap.GaussianHeatmaps;
import dev.lightmark.heatmap.HeatmapEncoding;
import dev.lightmark.train.HeatmapLoss;
import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.infer.ModelSpec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Trains a stacked hourglass on heatmaps with RMSprop. The run folder is laid out like
 * {@link RegressionTrainer}'s: config.json, log.csv (one row per epoch; train_nme from the last stack's
 * decoded heatmaps), checkpoint.lmk (weights + optimizer + position, written atomically),
 * last.lmk, best.lmk (by validation NME on the held-out share of the training folder) and
 * val-faces.txt. Re-running with the same config resumes and ends with the same weights.
 */
public final class HeatmapTrainer {
    private static final int POINTS = 68;

    private final HeatmapConfig cfg;
    private final Path out;
    private final PrintStream log;

    public record Result(double firstEpochLoss, double lastEpochLoss, double bestValNme, int epochs, double secondsPerEpoch) {}

    /** Test hook: throw after this many steps of this run, as a kill would stop it (0 = never). */
    int simulatedKillAfterSteps;

    public HeatmapTrainer(HeatmapConfig cfg, Path out, PrintStream log) {
        this.cfg = cfg;
        this.out = out;
        this.log = log;
    }

    public Result run() throws IOException {
        cfg.validate();
        // Files a config names are checked when a run starts, before its folder is made (configs travel without them).
        if (!cfg.teacher.isEmpty()) HeatmapTeacher.members(cfg.teacher);
        TrainingRun.open(out, cfg, HeatmapConfig::read);

        TrainingRun.Split split = TrainingRun.split(cfg, POINTS, out, log);
        FaceBank trainBank = split.train(), valBank = split.val();
        if ("soft".equals(cfg.targets))
            trainBank = SoftTargets.apply(trainBank, cfg.softVariance, cfg.trainDir + " (training split)", out, log);

        int s = cfg.inputSize, h = s / 4;
        CropPolicy policy = new CropPolicy(s, cfg.cropScale);
        GaussianHeatmaps encoder = new GaussianHeatmaps(h, cfg.sigma,
                "rounded".equals(cfg.encoding) ? HeatmapEncoding.ROUNDED : HeatmapEncoding.OFFSET);
        Augmenter.Settings geometry = cfg.augmentation();
        CropEffects.Settings crop = new CropEffects.Settings(cfg.padProbability, cfg.maxPad, cfg.blurProbability,
                cfg.maxBlurSigma, cfg.eraseProbability, cfg.maxEraseArea);
        HeatmapBatchMaker trainBatches = new HeatmapBatchMaker(trainBank, policy, geometry, crop, encoder, LandmarkScheme.IBUG68, cfg.seed);
        HeatmapBatchMaker valBatches = new HeatmapBatchMaker(valBank, policy, Augmenter.Settings.NONE, CropEffects.Settings.NONE,
                encoder, LandmarkScheme.IBUG68, cfg.seed);
        HeatmapLoss.Settings lossSettings = new HeatmapLoss.Settings(
                "awing".equals(cfg.loss) ? HeatmapLoss.Kind.AWING : HeatmapLoss.Kind.MSE, cfg.lossWeight, cfg.maskThreshold);
        StepSchedule schedule = new StepSchedule(cfg.learningRate, cfg.warmupEpochs, cfg.decayEpochs, cfg.decayFactor);

        ModelSpec spec = spec(cfg, trainBank.size());
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            Engine.getEngine("PyTorch").setRandomSeed((int) cfg.seed);
            HourglassNet net = HourglassArchitecture.settings(spec).build(POINTS);
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, s, s));
            log.printf(Locale.ROOT, "hourglass: %d stacks, depth %d, %d channels, input %d, heatmaps %dx%d, %,d trainable parameters%n",
                    cfg.stacks, cfg.depth, cfg.channels, s, h, h, net.trainableParameters());
            TrainingRun.initFrom(cfg, out, spec, net, manager, log, StackGrowth.fromFirstStack(net));
            teacher = loadTeacher(manager);
            RmsProp opt = new RmsProp(net.getParameters(), manager, cfg.rmsAlpha, 1e-8f, cfg.momentum);
            ParameterStore ps = new ParameterStore(manager, false);
            TrainingRun.State st = new TrainingRun.State();
            Path ckpt = TrainingRun.checkpoint(out);
            if (Files.exists(ckpt)) {
                st = TrainingRun.restore(ckpt, net, opt, manager);
                log.printf(Locale.ROOT, "resumed from %s at epoch %d step %d%n", ckpt, st.epoch + 1, st.step);
            }
            EpochLoop.Plan plan = new EpochLoop.Plan(cfg.epochs, cfg.batchSize, cfg.seed, cfg.checkpointEverySteps,
                    trainBank.size(), 1, valBank.size() > 0);
            EpochLoop.Outcome o = new EpochLoop<TrainingRun.State>(out, log, spec, net, opt, manager, plan)
                    .killAfterSteps(simulatedKillAfterSteps)
                    .run(st, new EpochLoop.Steps<>() {
                        public String csvHeader() { return TrainingRun.LossAndNme.CSV_HEADER; }

                        public float learningRate(int epoch, int step, int stepsPerEpoch) { return schedule.at(epoch, step, stepsPerEpoch); }

                        public void step(TrainingRun.State st, int[] faces, float lr, EpochLoop.Update update) {
                            HeatmapBatch b = trainBatches.make(faces, st.epoch);
                            float[] lossNme = trainStep(net, update, ps, manager, b, lr, lossSettings, encoder);
                            st.add(lossNme[0], lossNme[1], b.n());
                        }

                        public String status(TrainingRun.State st, float lr) { return st.status(lr); }

                        public EpochLoop.Epoch finish(TrainingRun.State st) {
                            return st.epoch(valBank.size() > 0 ? validate(net, ps, manager, valBatches, valBank.size(), encoder) : Double.NaN);
                        }
                    });
            return new Result(o.firstLoss(), o.lastLoss(), st.bestValNme, cfg.epochs, o.secondsPerEpoch());
        } finally {
            if (teacher != null) teacher.close();
            teacher = null;
        }
    }

    static ModelSpec spec(HeatmapConfig cfg, int faces) {
        ModelSpec spec = new ModelSpec();
        spec.architecture = "hourglass";
        spec.points = POINTS;
        spec.width = 1f;
        spec.inputSize = cfg.inputSize;
        spec.cropScale = cfg.cropScale;
        spec.trainedOn = cfg.trainDir + " (" + faces + " faces)";
        HourglassSpec hg = new HourglassSpec();
        hg.stacks = cfg.stacks;
        hg.depth = cfg.depth;
        hg.channels = cfg.channels;
        hg.coordConv = cfg.coordConv;
        hg.coordAttention = cfg.coordAttention;
        hg.squeezeExcitation = cfg.squeezeExcitation;
        hg.sigma = cfg.sigma;
        spec.setSettings(HourglassArchitecture.NAME, hg);
        return spec;
    }

    /** One optimisation step; returns {loss summed over stacks, mean inter-ocular NME of the last stack}. */
    private float[] trainStep(HourglassNet net, EpochLoop.Update update, ParameterStore ps, NDManager manager, HeatmapBatch b,
                              float lr, HeatmapLoss.Settings lossSettings, GaussianHeatmaps decoder) {
        try (NDManager step = manager.newSubManager()) {
            int s = cfg.inputSize, h = s / 4;
            NDArray x = step.create(b.images(), new Shape(b.n(), 3, s, s));
            NDArray y = step.create(teacher == null ? b.heatmaps() : withTeacher(b.heatmaps(), x), new Shape(b.n(), POINTS, h, h));
            float loss;
            float[] last;
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDList stacks = net.forward(ps, new NDList(x), true);
                NDArray total = null;
                for (NDArray maps : stacks) {
                    NDArray l = HeatmapLoss.compute(lossSettings, maps, y);
                    total = total == null ? l : total.add(l);
                }
                gc.backward(total);
                loss = total.getFloat();
                last = stacks.get(stacks.size() - 1).toFloatArray();
            }
            update.apply(loss, lr, cfg.weightDecay, step);
            return new float[]{loss, TrainingRun.meanNme(decoder.toCropUnits(last, b.n(), POINTS), b.targets(), b.interOcular())};
        }
    }

    /** The distillation teacher, or null. */
    private HeatmapTeacher teacher;

    private HeatmapTeacher loadTeacher(NDManager manager) throws IOException {
        if (cfg.teacher.isEmpty()) return null;
        HeatmapTeacher t = HeatmapTeacher.open(cfg.teacher, cfg, POINTS, manager);
        log.printf(Locale.ROOT, "teacher: %s, weight %.2f%n", cfg.teacher, cfg.teacherWeight);
        return t;
    }

    /** The batch's ground-truth maps mixed with the teacher's maps of the same crops (no gradient). */
    private float[] withTeacher(float[] truth, NDArray x) {
        float[] t = teacher.maps(x);
        float w = cfg.teacherWeight;
        float[] y = new float[truth.length];
        for (int i = 0; i < y.length; i++) y[i] = (1 - w) * truth[i] + w * t[i];
        return y;
    }

    private double validate(HourglassNet net, ParameterStore ps, NDManager manager, HeatmapBatchMaker maker, int n,
                            GaussianHeatmaps decoder) {
        double sum = 0;
        for (int from = 0; from < n; from += cfg.batchSize) {
            int[] idx = new int[Math.min(cfg.batchSize, n - from)];
            for (int i = 0; i < idx.length; i++) idx[i] = from + i;
            HeatmapBatch b = maker.make(idx, 0);
            try (NDManager step = manager.newSubManager()) {
                NDArray x = step.create(b.images(), new Shape(b.n(), 3, cfg.inputSize, cfg.inputSize));
                float[] maps = net.forward(ps, new NDList(x), false).get(0).toFloatArray();
                sum += TrainingRun.meanNme(decoder.toCropUnits(maps, b.n(), POINTS), b.targets(), b.interOcular()) * b.n();
            }
        }
        return sum / n;
    }

}
