package dev.lightmark.model.pfld;

import dev.lightmark.train.AdamW;
import dev.lightmark.train.Batch;
import dev.lightmark.train.BatchMaker;
import dev.lightmark.train.EpochLoop;
import dev.lightmark.train.FaceBank;
import dev.lightmark.train.PoseBalance;
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
import dev.lightmark.augment.CropPolicy;
import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.train.ModelFile;
import dev.lightmark.train.TeacherModel;
import dev.lightmark.model.layers.MeanShapeHead;
import dev.lightmark.model.layers.Scalars;
import dev.lightmark.infer.ModelSpec;
import ai.djl.nn.Block;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Trains coordinate-regression networks: PFLD (the product's model), EfficientNet teachers
 * (ground-truth or soft ASM targets) and KD-Loss students (PFLD guided by up to two teachers'
 * predictions). Output folder: config.json, log.csv (one row per epoch), checkpoint.lmk (weights +
 * optimizer + position, written atomically), last.lmk and best.lmk (model files; best by
 * validation NME on the held-out share of the training folder).
 */
public final class RegressionTrainer {

    private final TrainConfig cfg;
    private final Path out;
    private final PrintStream log;

    public record Result(double firstEpochLoss, double lastEpochLoss, double bestValNme, int epochs) {}

    /** Test hook: throw after this many steps of this run, as a kill would stop it (0 = never). */
    int simulatedKillAfterSteps;

    public RegressionTrainer(TrainConfig cfg, Path out, PrintStream log) {
        this.cfg = cfg;
        this.out = out;
        this.log = log;
    }

    public Result run() throws IOException {
        checkConfig();
        TrainingRun.open(out, cfg, TrainConfig::read);

        TrainingRun.Split split = TrainingRun.split(cfg, 68, out, log);
        FaceBank trainBank = split.train(), valBank = split.val();

        List<Landmarks> shapes = trainBank.faces().stream().map(f -> f.sample().landmarks()).toList();
        if ("soft".equals(cfg.targets))
            trainBank = SoftTargets.apply(trainBank, cfg.softVariance, cfg.trainDir + " (training split)", out, log);
        boolean[][] classes = AttributeWeights.classify(shapes);
        float[] attr = AttributeWeights.weights(classes, cfg.attributePower);
        int[] counts = new int[AttributeWeights.CLASSES.length];
        for (boolean[] c : classes) for (int j = 0; j < c.length; j++) if (c[j]) counts[j]++;
        float maxW = 0;
        for (float v : attr) maxW = Math.max(maxW, v);
        log.printf(Locale.ROOT, "attribute classes %s = %s; largest sample weight %.2f%n",
                java.util.Arrays.toString(AttributeWeights.CLASSES), java.util.Arrays.toString(counts), maxW);
        CropPolicy policy = new CropPolicy(PfldNet.INPUT, cfg.cropScale);
        FaceBank listedBank = trainBank;
        float[] listedAttr = attr;
        if (cfg.poseBalance > 0) {   // turned heads listed more often, each copy with its own augmentation
            double[] yaw = PoseBalance.absYaw(shapes);
            int[] repeats = PoseBalance.repeats(yaw, cfg.poseBalance, cfg.poseBalanceMaxRepeat);
            int[] listing = PoseBalance.listing(repeats);
            listedBank = trainBank.listed(listing);
            listedAttr = new float[listing.length];
            for (int i = 0; i < listing.length; i++) listedAttr[i] = attr[listing[i]];
            log.println(PoseBalance.describe(yaw, repeats));
        }
        BatchMaker trainBatches = new BatchMaker(listedBank, listedAttr, policy, cfg.augmentation(), LandmarkScheme.IBUG68, cfg.seed);
        BatchMaker valBatches = new BatchMaker(valBank, null, policy, Augmenter.Settings.NONE, LandmarkScheme.IBUG68, cfg.seed);

        ModelSpec spec = new ModelSpec();
        spec.architecture = cfg.architecture;
        spec.width = cfg.width;
        spec.depth = cfg.depth;
        spec.cropScale = cfg.cropScale;
        spec.trainedOn = cfg.trainDir + " (" + trainBank.size() + " faces)";

        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            // Seeds PyTorch's generator, which DJL's initialisers draw from.
            Engine.getEngine("PyTorch").setRandomSeed((int) cfg.seed);
            Block net = ModelFile.build(spec);
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, PfldNet.INPUT, PfldNet.INPUT));
            ((MeanShapeHead) net).setMeanShape(TrainingRun.meanShape(trainBank, policy, 68));
            TrainingRun.initFrom(cfg, out, spec, net, manager, log);
            teachers = loadTeachers(manager);
            AdamW opt = new AdamW(net.getParameters(), manager);
            ParameterStore ps = new ParameterStore(manager, false);
            TrainingRun.State st = new TrainingRun.State();
            Path ckpt = TrainingRun.checkpoint(out);
            if (Files.exists(ckpt)) {
                st = TrainingRun.restore(ckpt, net, opt, manager);
                log.printf(Locale.ROOT, "resumed from %s at epoch %d step %d%n", ckpt, st.epoch + 1, st.step);
            }
            if (st.epoch == 0 && st.step == 0 && valBank.size() > 0)
                log.printf(Locale.ROOT, "validation NME before training (%s): %.2f%%%n", cfg.initFrom == null ? "mean shape" : "initial weights",
                        100 * validate(net, ps, manager, valBatches, valBank.size()));
            EpochLoop.Plan plan = new EpochLoop.Plan(cfg.epochs, cfg.batchSize, cfg.seed, cfg.checkpointEverySteps,
                    listedBank.size(), 1, valBank.size() > 0);
            EpochLoop.Outcome o = new EpochLoop<TrainingRun.State>(out, log, spec, net, opt, manager, plan)
                    .killAfterSteps(simulatedKillAfterSteps)
                    .run(st, new EpochLoop.Steps<>() {
                        public String csvHeader() { return TrainingRun.LossAndNme.CSV_HEADER; }

                        public float learningRate(int epoch, int step, int stepsPerEpoch) {
                            return RegressionTrainer.this.learningRate(epoch, step, stepsPerEpoch);
                        }

                        public void step(TrainingRun.State st, int[] faces, float lr, EpochLoop.Update update) {
                            Batch b = trainBatches.make(faces, st.epoch);
                            float[] lossNme = trainStep(net, update, ps, manager, b, lr);
                            st.add(lossNme[0], lossNme[1], b.n());
                        }

                        public String status(TrainingRun.State st, float lr) { return st.status(lr); }

                        public EpochLoop.Epoch finish(TrainingRun.State st) {
                            return st.epoch(valBank.size() > 0 ? validate(net, ps, manager, valBatches, valBank.size()) : Double.NaN);
                        }
                    });
            return new Result(o.firstLoss(), o.lastLoss(), st.bestValNme, cfg.epochs);
        }
    }

    /** One optimisation step; returns {loss, mean inter-ocular NME} of the batch. */
    private float[] trainStep(Block net, EpochLoop.Update update, ParameterStore ps, NDManager manager, Batch b, float lr) {
        try (NDManager step = manager.newSubManager()) {
            int s = PfldNet.INPUT;
            NDArray x = step.create(b.images(), new Shape(b.n(), 3, s, s));
            NDArray y = step.create(b.targets(), new Shape(b.n(), b.targets().length / b.n()));
            NDArray a = step.create(b.angles(), new Shape(b.n(), 3));
            NDArray w = step.create(b.weights(), new Shape(b.n()));
            // Teachers see the same augmented crops; their outputs are constants for the student.
            NDArray[] taught = new NDArray[teachers.size()];
            for (int i = 0; i < taught.length; i++)
                taught[i] = teachers.get(i).model().read(x).stopGradient();
            float loss;
            float[] pred;
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDList outList = net.forward(ps, new NDList(x), true);
                NDArray per = switch (cfg.landmarkLoss) {
                    case "l2" -> PfldLoss.l2(outList.get(0), y);
                    case "wing" -> PfldLoss.wing(outList.get(0), y, 10f / s, 2f / s);
                    default -> throw new IllegalArgumentException("landmarkLoss must be l2 or wing, not " + cfg.landmarkLoss);
                };
                NDArray l = cfg.poseWeighting ? PfldLoss.weighted(per, outList.get(1), a, w, cfg.poseFloor) : per.mean();
                for (int i = 0; i < taught.length; i++)
                    l = l.add(Scalars.mul(KdLoss.assistive(outList.get(0), y, taught[i], cfg.kdPull, cfg.kdPush, cfg.kdDeadZone)
                            .mean(), teachers.get(i).weight()));
                loss = l.getFloat();
                gc.backward(l);
                pred = outList.get(0).toFloatArray();
            }
            update.apply(loss, lr, cfg.weightDecay, step);
            return new float[]{loss, TrainingRun.meanNme(pred, b.targets(), b.interOcular())};
        }
    }

    private double validate(Block net, ParameterStore ps, NDManager manager, BatchMaker maker, int n) {
        double sum = 0;
        for (int from = 0; from < n; from += 64) {
            int[] idx = new int[Math.min(64, n - from)];
            for (int i = 0; i < idx.length; i++) idx[i] = from + i;
            Batch b = maker.make(idx, 0);
            try (NDManager step = manager.newSubManager()) {
                NDArray x = step.create(b.images(), new Shape(b.n(), 3, PfldNet.INPUT, PfldNet.INPUT));
                float[] pred = net.forward(ps, new NDList(x), false).get(0).toFloatArray();
                sum += TrainingRun.meanNme(pred, b.targets(), b.interOcular()) * b.n();
            }
        }
        return sum / n;
    }

    /** Linear warm-up, then cosine decay to the minimum by the last step. */
    float learningRate(int epoch, int step, int stepsPerEpoch) {
        return TrainingRun.warmupCosine(cfg.learningRate, cfg.minLearningRate, cfg.warmupEpochs, cfg.epochs, epoch, step, stepsPerEpoch);
    }

    private record Teacher(String role, TeacherModel model, float weight) {}

    private List<Teacher> teachers = List.of();

    /** The config's own checks, then the teacher files it names. */
    private void checkConfig() {
        cfg.validate();
        for (String t : List.of(cfg.toughTeacher, cfg.tolerantTeacher))
            if (!t.isEmpty() && !Files.isRegularFile(Path.of(t)))
                throw new IllegalArgumentException("teacher model not found: " + t);
    }

    private List<Teacher> loadTeachers(NDManager manager) throws IOException {
        List<Teacher> out = new ArrayList<>();
        String[][] roles = {{"tough", cfg.toughTeacher}, {"tolerant", cfg.tolerantTeacher}};
        float[] weights = {cfg.toughWeight, cfg.tolerantWeight};
        for (int i = 0; i < roles.length; i++) {
            if (roles[i][1].isEmpty()) continue;
            Path file = Path.of(roles[i][1]);
            ModelFile.Loaded m;
            try (var in = Files.newInputStream(file)) {
                m = ModelFile.load(in, file.toString(), manager);
            }
            // Any architecture and input size will do, as long as it frames the face as the student does.
            if (m.spec().points != 68 || m.spec().cropScale != cfg.cropScale)
                throw new IllegalArgumentException(file + ": teacher must frame the student's crop (68 points, crop scale "
                        + cfg.cropScale + "), it has " + m.spec().points + " points, crop scale " + m.spec().cropScale);
            log.printf(Locale.ROOT, "%s teacher: %s (%s, %d px, width %.2f), ALoss weight %.2f%n",
                    roles[i][0], file, m.spec().architecture, m.spec().inputSize, m.spec().width, weights[i]);
            out.add(new Teacher(roles[i][0], new TeacherModel(m, manager), weights[i]));
        }
        return out;
    }

}
