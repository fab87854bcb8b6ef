package dev.lightmark.model.tsal;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.lightmark.augment.Augmenter;
import dev.lightmark.augment.CropEffects;
import dev.lightmark.augment.CropPolicy;
import dev.lightmark.data.FaceSample;
import dev.lightmark.data.PtsFolder;
import dev.lightmark.geometry.Affine;
import dev.lightmark.heatmap.GaussianHeatmaps;
import dev.lightmark.heatmap.HeatmapEncoding;
import dev.lightmark.image.Warp;
import dev.lightmark.infer.FacePipeline;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.io.SectionFile;
import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.model.layers.Scalars;
import dev.lightmark.shape.ShapeModel;
import dev.lightmark.train.AdamW;
import dev.lightmark.train.EpochLoop;
import dev.lightmark.train.TrainingRun;
import dev.lightmark.train.FaceBank;
import dev.lightmark.train.HeatmapBatch;
import dev.lightmark.train.HeatmapBatchMaker;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Trains the two-head {@link TsalNet}, supervised only or teacher-student on unlabelled faces.
 *
 * <p>Each step: a labelled batch (heatmap and point losses on both heads). From epoch
 * {@code semiFromEpoch} on (semi runs), also an unlabelled batch: the teacher (a copy of the
 * student, replaced every {@code teacherEveryEpochs} epochs: asynchronous) reads each face from a
 * plain crop with both heads; {@link PseudoLabels} keeps the points where the heads agree and drops
 * faces far from the ASM shape space; the student learns the kept points from a strongly augmented
 * crop of the same face. For pairs of consecutive video frames, the student also reads frame t+1
 * from the detector's box and from the box tracked from the teacher's points on frame t, and the
 * two readings must agree in the image (detection/tracking consistency).
 *
 * <p>The run folder holds config.json, log.csv, checkpoint.lmk (weights, optimizer, teacher,
 * position; exact resume), last.lmk, best.lmk (by validation NME of the fused prediction on the
 * held-out persons) and val-faces.txt.
 */
public final class TsalTrainer {
    private static final int POINTS = 68;
    private static final LandmarkScheme SCHEME = LandmarkScheme.IBUG68;
    static final String LOG_HEADER = "epoch,loss,sup_loss,unsup_loss,cons_loss,train_nme,val_nme,val_nme_heatmap,val_nme_regression,"
            + "pseudo_faces,rejected_faces,kept_point_share,lr,seconds";

    private final TsalConfig cfg;
    private final Path out;
    private final PrintStream log;

    /** Position in the run, the epoch's running sums and the run's pseudo-label totals, saved in checkpoints. */
    public static class State extends EpochLoop.Position {
        public double lossSum, supSum, unsupSum, consSum, nmeSum;
        public int steps, semiSteps, samples;
        public long faces, rejected, pointsKept, pointsTotal;
        public long allFaces, allRejected, allPointsKept, allPointsTotal;

        @Override
        public void clearEpochSums() {
            allFaces += faces;
            allRejected += rejected;
            allPointsKept += pointsKept;
            allPointsTotal += pointsTotal;
            lossSum = supSum = unsupSum = consSum = nmeSum = 0;
            steps = semiSteps = samples = 0;
            faces = rejected = pointsKept = pointsTotal = 0;
        }
    }

    /** An epoch's means, validation NME (fused, heatmap head, regression head) and pseudo-label counts. */
    private record Epoch(double loss, double sup, double unsup, double cons, double nme, double[] val,
                         long faces, long rejected, long pointsKept, long pointsTotal, boolean semi) implements EpochLoop.Epoch {
        Epoch(State st, double[] val, boolean semi) {
            this(st.lossSum / Math.max(1, st.steps), st.supSum / Math.max(1, st.steps), st.unsupSum / Math.max(1, st.semiSteps),
                    st.consSum / Math.max(1, st.semiSteps), st.nmeSum / Math.max(1, st.samples), val,
                    st.faces, st.rejected, st.pointsKept, st.pointsTotal, semi);
        }

        @Override
        public double valNme() { return val[0]; }

        @Override
        public String csvRow(int epoch, float lr, double seconds) {
            return String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%d,%d,%.4f,%.3e,%.1f",
                    epoch, loss, sup, unsup, cons, nme, val[0], val[1], val[2],
                    faces, rejected, pointsKept / (double) Math.max(1, pointsTotal), lr, seconds) + "\n";
        }

        @Override
        public String message(int epoch, boolean best, double seconds) {
            return String.format(Locale.ROOT, "epoch %d: loss %.4f, val NME fused %.2f%% heatmap %.2f%% regression %.2f%%%s%s (%.0f s)",
                    epoch, loss, 100 * val[0], 100 * val[1], 100 * val[2],
                    semi ? String.format(Locale.ROOT, ", pseudo-labels: %d faces, %d rejected by the ASM, %.1f%% of points kept",
                            faces, rejected, 100.0 * pointsKept / Math.max(1, pointsTotal)) : "",
                    best ? " (best)" : "", seconds);
        }
    }

    public record Result(double firstEpochLoss, double lastEpochLoss, double bestValNme, double secondsPerEpoch,
                         long pseudoFaces, long rejectedFaces, double keptPointShare) {}

    /** Test hook: use this pool instead of reading videos and MTFL. */
    UnlabelledPool poolOverride;
    /** Test hook: throw after this many steps, as a kill would (0 = never). */
    int simulatedKillAfterSteps;

    public TsalTrainer(TsalConfig cfg, Path out, PrintStream log) {
        this.cfg = cfg;
        this.out = out;
        this.log = log;
    }

    /** The person of a YouTube-Faces frame name PERSON_VF[x] (e.g. Abdullah_Gul_10a). */
    static String person(String name) { return name.replaceAll("_\\d+[a-z]?$", ""); }

    /** Whole persons, in a seeded order, go to validation until it holds {@code fraction} of the faces. */
    static List<List<FaceSample>> splitByPerson(List<FaceSample> all, float fraction, long seed) {
        List<String> persons = new ArrayList<>(new TreeSet<>(all.stream().map(s -> person(s.name())).toList()));
        if (persons.size() < 2) {   // names without persons: hold out single faces instead
            int[] p = TrainingRun.permutation(all.size(), new SplittableRandom(seed));
            int nVal = Math.round(all.size() * fraction);
            List<FaceSample> tr = new ArrayList<>(), va = new ArrayList<>();
            for (int i = 0; i < p.length; i++) (i < nVal ? va : tr).add(all.get(p[i]));
            return List.of(tr, va);
        }
        Collections.shuffle(persons, new java.util.Random(seed));
        int want = Math.round(all.size() * fraction);
        java.util.Set<String> val = new java.util.HashSet<>();
        int count = 0;
        for (String p : persons) {
            if (count >= want) break;
            val.add(p);
            for (FaceSample s : all) if (person(s.name()).equals(p)) count++;
        }
        List<FaceSample> tr = new ArrayList<>(), va = new ArrayList<>();
        for (FaceSample s : all) (val.contains(person(s.name())) ? va : tr).add(s);
        return List.of(tr, va);
    }

    public Result run() throws IOException {
        cfg.validate();
        TrainingRun.open(out, cfg, TsalConfig::read);

        PtsFolder.Loaded data = PtsFolder.load(Path.of(cfg.trainDir), POINTS);
        data.problems().forEach(p -> log.println("skipped: " + p));
        List<FaceSample> all = new ArrayList<>(data.samples());
        if (cfg.maxSamples > 0 && all.size() > cfg.maxSamples) all = all.subList(0, cfg.maxSamples);
        List<List<FaceSample>> split = splitByPerson(all, cfg.valFraction, cfg.splitSeed());
        Files.write(out.resolve("val-faces.txt"), split.get(1).stream().map(FaceSample::name).toList());
        List<FaceSample> labelled = split.get(0), unlabelledRest = List.of();
        if (cfg.labelledShare < 1) {
            // Whole persons again: the labelled ones are a seeded share of the training persons.
            List<List<FaceSample>> byLabel = splitByPerson(labelled, 1 - cfg.labelledShare, cfg.seed + 1);
            labelled = byLabel.get(0);
            unlabelledRest = byLabel.get(1);
            Files.write(out.resolve("labelled-faces.txt"), labelled.stream().map(FaceSample::name).toList());
            log.printf(Locale.ROOT, "labels used for %d of %d training faces (%d persons); %d faces of the other persons%s%n",
                    labelled.size(), split.get(0).size(), labelled.stream().map(f -> person(f.name())).distinct().count(),
                    unlabelledRest.size(), cfg.unlabelledRest ? " join the unlabelled faces" : " are not used");
        }
        FaceBank trainBank = FaceBank.load(labelled, "loading train");
        FaceBank valBank = FaceBank.load(split.get(1), "loading val");
        log.printf(Locale.ROOT, "train %d faces, validation %d faces (persons held out)%n", trainBank.size(), valBank.size());
        if (trainBank.size() == 0) throw new IllegalStateException("no usable training faces in " + cfg.trainDir);

        int s = TsalNet.INPUT, h = s / 4;
        CropPolicy policy = new CropPolicy(s, cfg.cropScale);
        GaussianHeatmaps encoder = new GaussianHeatmaps(h, cfg.sigma, HeatmapEncoding.OFFSET);
        Augmenter.Settings strong = cfg.augmentation();
        CropEffects.Settings effects = new CropEffects.Settings(cfg.padProbability, 0.25f, cfg.blurProbability, 1.5f,
                cfg.eraseProbability, 0.2f);
        HeatmapBatchMaker trainBatches = new HeatmapBatchMaker(trainBank, policy, strong, effects, encoder, SCHEME, cfg.seed);
        HeatmapBatchMaker valBatches = new HeatmapBatchMaker(valBank, policy, Augmenter.Settings.NONE, CropEffects.Settings.NONE,
                encoder, SCHEME, cfg.seed);

        UnlabelledPool pool = null;
        PseudoLabels labeller = null;
        if (cfg.semi) {
            List<Landmarks> shapes = trainBank.faces().stream().map(f -> f.sample().landmarks()).toList();
            ShapeModel asm = ShapeModel.fit(shapes, cfg.asmVariance, cfg.trainDir).withClamp(true);
            log.printf(Locale.ROOT, "ASM: %d modes (%.1f%% of shape variance) from %d training shapes%n",
                    asm.modes(), 100 * asm.varianceExplained(), shapes.size());
            labeller = new PseudoLabels(new PseudoLabels.Settings(cfg.agreement, cfg.maxAsmResidual), asm, SCHEME);
            pool = poolOverride != null ? poolOverride : new UnlabelledPool();
            if (poolOverride == null && !cfg.videos.isEmpty()) {
                try (FacePipeline det = FacePipeline.create(FacePipeline.DetectorChoice.FRONT, 0.5f, cfg.threads, null)) {
                    for (String v : cfg.videos) pool.addVideo(Path.of(v), det, cfg.storeSide, cfg.minVideoFace, cfg.maxVideoFrames);
                }
            }
            if (poolOverride == null && cfg.unlabelledRest) {
                try (FacePipeline det = FacePipeline.create(FacePipeline.DetectorChoice.FRONT, 0.5f, cfg.threads, null)) {
                    int missed = pool.addPhotos(unlabelledRest.stream().map(FaceSample::image).toList(), det, cfg.storeSide, cfg.minVideoFace);
                    log.printf(Locale.ROOT, "unlabelled training photos: %d faces found, %d photos without a face%n",
                            unlabelledRest.size() - missed, missed);
                }
            }
            if (poolOverride == null && !cfg.mtflCsv.isEmpty() && cfg.maxMtfl > 0)
                pool.addMtfl(Path.of(cfg.mtflCsv), asm.mean(), cfg.maxMtfl, cfg.storeSide, cfg.seed);
            log.println(pool.describe());
            if (pool.size() == 0) throw new IllegalStateException("semi-supervised run without unlabelled faces (videos / mtflCsv / unlabelledRest)");
        }
        int[] pairItems = pool == null ? new int[0] : pool.pairStarts();

        ModelSpec spec = spec(trainBank.size());
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            Engine.getEngine("PyTorch").setRandomSeed((int) cfg.seed);
            TsalNet net = TsalArchitecture.settings(spec).build(POINTS);
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, s, s));
            net.setMeanShape(TrainingRun.meanShape(trainBank, policy, POINTS));
            TsalNet teacher = cfg.semi ? TsalArchitecture.settings(spec).build(POINTS) : null;
            if (teacher != null) teacher.initialize(manager, DataType.FLOAT32, new Shape(1, 3, s, s));
            long params = 0;
            for (var p : net.getParameters()) params += p.getValue().getArray().size();
            log.printf(Locale.ROOT, "tsal net: width %.2f, input %d, heatmaps %dx%d, %,d parameters%n", cfg.width, s, h, h, params);
            AdamW opt = new AdamW(net.getParameters(), manager);
            ParameterStore ps = new ParameterStore(manager, false);
            State st = new State();
            Path ckpt = out.resolve("checkpoint.lmk");
            if (Files.exists(ckpt)) {
                st = restore(ckpt, net, teacher, opt, manager);
                log.printf(Locale.ROOT, "resumed from %s at epoch %d step %d%n", ckpt, st.epoch + 1, st.step);
            } else if (cfg.semi && !cfg.startFrom.isEmpty()) {
                Path from = Path.of(cfg.startFrom);
                if (!Files.exists(from)) throw new IllegalArgumentException("startFrom checkpoint not found: " + from);
                st = restore(from, net, null, opt, manager);
                if (st.epoch != cfg.semiFromEpoch || st.step != 0)
                    throw new IllegalArgumentException(from + " is at epoch " + st.epoch + " step " + st.step
                            + ", not at the end of epoch semiFromEpoch = " + cfg.semiFromEpoch);
                st.bestValNme = Double.MAX_VALUE;   // best.lmk is chosen among this run's own (semi-supervised) epochs
                log.printf(Locale.ROOT, "started from the supervised checkpoint %s (end of epoch %d)%n", from, st.epoch);
            }
            Step stepper = new Step(policy, encoder, strong, effects, labeller, pool, pairItems);
            EpochLoop.Plan plan = new EpochLoop.Plan(cfg.epochs, cfg.batchSize, cfg.seed, cfg.checkpointEverySteps,
                    trainBank.size(), cfg.labelledRepeat, valBank.size() > 0);
            EpochLoop.Outcome o = new EpochLoop<State>(out, log, spec, net, opt, manager, plan)
                    .killAfterSteps(simulatedKillAfterSteps)
                    .run(st, new EpochLoop.Steps<>() {
                        boolean semiNow;   // this epoch learns from unlabelled faces too
                        float ramp;        // weight of the unlabelled terms, rising over rampEpochs

                        public String csvHeader() { return LOG_HEADER; }

                        public void beginEpoch(State st) {
                            semiNow = cfg.semi && st.epoch >= cfg.semiFromEpoch;
                            boolean copyNow = cfg.teacherEma > 0 ? st.epoch == cfg.semiFromEpoch
                                    : (st.epoch - cfg.semiFromEpoch) % cfg.teacherEveryEpochs == 0;
                            if (semiNow && st.step == 0 && copyNow)
                                copyWeights(net, teacher);
                            ramp = semiNow ? Math.min(1f, (st.epoch - cfg.semiFromEpoch + 1f) / Math.max(1, cfg.rampEpochs)) : 0f;
                        }

                        public String label(State st, int epochs) {
                            return String.format("epoch %d/%d%s", st.epoch + 1, epochs, semiNow ? " tsal" : "");
                        }

                        public float learningRate(int epoch, int step, int stepsPerEpoch) {
                            return TsalTrainer.this.learningRate(epoch, step, stepsPerEpoch);
                        }

                        public void step(State st, int[] faces, float lr, EpochLoop.Update update) {
                            stepper.run(net, semiNow ? teacher : null, update, ps, manager, trainBatches.make(faces, st.epoch), lr, ramp, st);
                        }

                        public String status(State st, float lr) {
                            return String.format(Locale.ROOT, "loss %.4f nme %.2f%%%s lr %.1e", st.lossSum / st.steps,
                                    100 * st.nmeSum / st.samples, semiNow ? String.format(Locale.ROOT, " kept %.0f%% rej %d/%d",
                                            100.0 * st.pointsKept / Math.max(1, st.pointsTotal), st.rejected, st.faces) : "", lr);
                        }

                        public EpochLoop.Epoch finish(State st) {
                            double[] val = valBank.size() > 0 ? validate(net, ps, manager, valBatches, valBank.size())
                                    : new double[]{Double.NaN, Double.NaN, Double.NaN};
                            return new Epoch(st, val, semiNow);
                        }

                        public Map<String, byte[]> extraSections() throws IOException {
                            return teacher == null ? Map.of() : Map.of("teacher", SectionFile.bytes(teacher::saveParameters));
                        }

                        public void checkpointed(int epoch, Path checkpoint) throws IOException {
                            if (cfg.keepCheckpointAtEpoch == epoch)
                                Files.copy(checkpoint, out.resolve("checkpoint-e" + epoch + ".lmk"), StandardCopyOption.REPLACE_EXISTING);
                        }
                    });
            return new Result(o.firstLoss(), o.lastLoss(), st.bestValNme, o.secondsPerEpoch(),
                    st.allFaces, st.allRejected, st.allPointsKept / (double) Math.max(1, st.allPointsTotal));
        }
    }

    ModelSpec spec(int faces) {
        ModelSpec spec = new ModelSpec();
        spec.architecture = "tsal";
        spec.points = POINTS;
        spec.width = cfg.width;
        spec.inputSize = TsalNet.INPUT;
        spec.cropScale = cfg.cropScale;
        spec.trainedOn = cfg.trainDir + " (" + faces + " labelled faces)" + (cfg.semi ? " + unlabelled faces (TSAL)" : "");
        TsalSpec t = new TsalSpec();
        t.width = cfg.width;
        t.sigma = cfg.sigma;
        t.agreement = cfg.agreement;
        spec.setSettings(TsalArchitecture.NAME, t);
        return spec;
    }

    /** Linear warm-up, then cosine decay to the minimum by the last step. */
    float learningRate(int epoch, int step, int stepsPerEpoch) {
        return TrainingRun.warmupCosine(cfg.learningRate, cfg.minLearningRate, cfg.warmupEpochs, cfg.epochs, epoch, step, stepsPerEpoch);
    }

    /** One optimisation step (supervised, plus the unlabelled terms when a teacher is given). */
    private final class Step {
        final CropPolicy policy;
        final GaussianHeatmaps encoder;
        final Augmenter strongAug;
        final CropEffects effects;
        final PseudoLabels labeller;
        final UnlabelledPool pool;
        final int[] pairItems;

        Step(CropPolicy policy, GaussianHeatmaps encoder, Augmenter.Settings strong, CropEffects.Settings effects,
             PseudoLabels labeller, UnlabelledPool pool, int[] pairItems) {
            this.policy = policy;
            this.encoder = encoder;
            this.strongAug = new Augmenter(policy, strong, SCHEME);
            this.effects = new CropEffects(effects);
            this.labeller = labeller;
            this.pool = pool;
            this.pairItems = pairItems;
        }

        void run(TsalNet net, TsalNet teacher, EpochLoop.Update update, ParameterStore ps, NDManager manager, HeatmapBatch b, float lr,
                 float ramp, State st) {
            int s = policy.inputSize(), h = encoder.size(), k = POINTS, n = b.n();
            try (NDManager step = manager.newSubManager()) {
                Unlabelled u = teacher != null ? unlabelled(teacher, ps, step, st) : null;
                List<NDArray> inputs = new ArrayList<>();
                inputs.add(step.create(b.images(), new Shape(n, 3, s, s)));
                if (u != null) {
                    inputs.add(step.create(u.images, new Shape(u.n, 3, s, s)));
                    if (u.pairs > 0) {
                        inputs.add(step.create(u.cropD, new Shape(u.pairs, 3, s, s)));
                        inputs.add(step.create(u.cropT, new Shape(u.pairs, 3, s, s)));
                    }
                }
                NDArray x = inputs.size() == 1 ? inputs.get(0) : NDArrays.concat(new NDList(inputs), 0);
                float lossV, supV, unsupV = 0, consV = 0;
                float[] predB;
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDList o = net.forward(ps, new NDList(x), true);
                    NDArray maps = o.get(0), centre = o.get(1), pts = o.get(2);
                    NDArray gtMaps = step.create(b.heatmaps(), new Shape(n, k, h, h));
                    NDArray gtPts = step.create(b.targets(), new Shape(n, 2 * k));
                    float[] ones = new float[n * k];
                    java.util.Arrays.fill(ones, 1f);
                    NDArray lMaps = slice(maps, 0, n), lPts = slice(pts, 0, n);
                    NDArray sup = headLoss(lMaps, gtMaps, lPts, gtPts, ones)
                            .add(slice(centre, 0, n).sub(gtPts.reshape(n, k, 2).mean(new int[]{1})).abs().sum(new int[]{1}).mean());
                    NDArray total = sup;
                    supV = sup.getFloat();
                    predB = lPts.toFloatArray();
                    if (u != null) {
                        NDArray uMaps = slice(maps, n, n + u.n), uPts = slice(pts, n, n + u.n);
                        NDArray unsup = headLoss(uMaps, step.create(u.maps, new Shape(u.n, k, h, h)), uPts,
                                step.create(u.targets, new Shape(u.n, 2 * k)), u.mask);
                        unsupV = unsup.getFloat();
                        total = total.add(Scalars.mul(unsup, cfg.unlabelledWeight * ramp));
                        if (u.pairs > 0) {
                            int o1 = n + u.n;
                            NDArray cons = TsalLosses.consistency(slice(pts, o1, o1 + u.pairs),
                                    slice(pts, o1 + u.pairs, o1 + 2 * u.pairs), u.tToD, u.pairIo);
                            consV = cons.getFloat();
                            total = total.add(Scalars.mul(cons, cfg.consistencyWeight * ramp));
                        }
                    }
                    gc.backward(total);
                    lossV = total.getFloat();
                }
                update.apply(lossV, lr, cfg.weightDecay, step);
                if (teacher != null && cfg.teacherEma > 0) followStudent(net, teacher, cfg.teacherEma);
                st.lossSum += lossV;
                st.supSum += supV;
                st.steps++;
                if (u != null) {
                    st.unsupSum += unsupV;
                    st.consSum += consV;
                    st.semiSteps++;
                }
                st.nmeSum += TrainingRun.meanNme(predB, b.targets(), b.interOcular()) * n;
                st.samples += n;
            }
        }

        /** Both heads against the same (masked) targets: heatmaps, their soft-argmax, and head B's points. */
        NDArray headLoss(NDArray maps, NDArray gtMaps, NDArray pts, NDArray gtPts, float[] mask) {
            NDArray l = Scalars.mul(TsalLosses.heatmaps(maps, gtMaps, mask, cfg.foregroundWeight), cfg.heatmapLossWeight)
                    .add(TsalLosses.points(pts, gtPts, mask));
            if (cfg.softArgmaxWeight > 0)
                l = l.add(Scalars.mul(TsalLosses.points(TsalLosses.softArgmax(maps, cfg.softArgmaxBeta), gtPts, mask), cfg.softArgmaxWeight));
            return l;
        }

        /** Teacher pseudo-labels for an unlabelled batch, the student's strong views, and the consistency crops. */
        Unlabelled unlabelled(TsalNet teacher, ParameterStore ps, NDManager step, State st) {
            int s = policy.inputSize(), h = encoder.size(), k = POINTS;
            SplittableRandom rnd = new SplittableRandom(cfg.seed * 1_000_003L + st.epoch * 100_003L + st.step * 7L + 1);
            int pairs = Math.min(cfg.consistencyPairs, pairItems.length);
            int[] idx = new int[cfg.unlabelledBatch];
            for (int i = 0; i < idx.length; i++)
                idx[i] = i < pairs ? pairItems[rnd.nextInt(pairItems.length)] : rnd.nextInt(pool.size());
            int m = idx.length;
            // Teacher: plain crops.
            float[] weak = new float[m * 3 * s * s];
            Affine[] weakMap = new Affine[m];
            for (int i = 0; i < m; i++) {
                UnlabelledPool.Item it = pool.get(idx[i]);
                weakMap[i] = policy.toCrop(it.box(), 0f);
                normalise(Warp.toChw(it.pixels(), it.size(), it.size(), weakMap[i], s), weak, i * 3 * s * s);
            }
            float[] a, bb;
            try (NDManager t = step.newSubManager()) {
                NDArray x = t.create(weak, new Shape(m, 3, s, s));
                NDList o = teacher.forward(ps, new NDList(x), false);
                a = o.get(1).toFloatArray();
                bb = o.get(2).toFloatArray();
                if (cfg.teacherFlip) {
                    NDList f = teacher.forward(ps, new NDList(x.flip(3)), false);
                    LandmarkPredictor.averageWithMirrored(a, f.get(1).toFloatArray(), m, SCHEME);
                    LandmarkPredictor.averageWithMirrored(bb, f.get(2).toFloatArray(), m, SCHEME);
                }
            }
            Unlabelled u = new Unlabelled(m, s, h, k);
            List<Integer> pairRows = new ArrayList<>();
            PseudoLabels.Label[] labels = new PseudoLabels.Label[m];
            for (int i = 0; i < m; i++) {
                Affine back = weakMap[i].inverse();
                float[] ai = toImage(a, i, k, s, back), bi = toImage(bb, i, k, s, back);
                PseudoLabels.Label lab = labeller.make(ai, bi);
                labels[i] = lab;
                st.faces++;
                if (!lab.shapeOk()) st.rejected++;
                st.pointsKept += lab.kept();
                st.pointsTotal += k;
                // Student: strong view of the same face.
                UnlabelledPool.Item it = pool.get(idx[i]);
                Augmenter.Draw d = strongAug.draw(it.box(), rnd);
                CropEffects.Draw e = effects.draw(s, rnd);
                Affine toCrop = CropEffects.shrink(d.toCrop(), e, s);
                Augmenter.Draw moved = new Augmenter.Draw(toCrop, d.flipped(), d.brightness(), d.contrast(), d.saturation());
                float[] chw = Warp.toChw(it.pixels(), it.size(), it.size(), toCrop, s);
                CropEffects.fillBorderOnly(chw, s, e);
                Augmenter.jitterColour(chw, s, moved);
                CropEffects.blurAndErase(chw, s, e);
                normalise(chw, u.images, i * 3 * s * s);
                float[] xy = strongAug.apply(lab.points(), moved).toArray();
                boolean[] keep = moved.flipped() ? PseudoLabels.mirror(lab.keep(), SCHEME) : lab.keep();
                for (int j = 0; j < k; j++) u.mask[i * k + j] = keep[j] ? 1f : 0f;
                for (int j = 0; j < 2 * k; j++) u.targets[i * 2 * k + j] = xy[j] / s;
                float toMap = (float) h / s;
                for (int j = 0; j < xy.length; j++) xy[j] *= toMap;
                encoder.encode(xy, u.maps, i * k * h * h);
                if (i < pairs && lab.shapeOk()) pairRows.add(i);
            }
            // Consistency: frame t+1 from the detector's box (D) and from the box of the teacher's points on frame t (T).
            u.setPairs(pairRows.size());
            for (int p = 0; p < pairRows.size(); p++) {
                int i = pairRows.get(p);
                UnlabelledPool.Item cur = pool.get(idx[i]), nxt = pool.get(cur.next());
                Affine curToNext = nxt.fromFrame().compose(cur.fromFrame().inverse());
                Landmarks tracked = labels[i].points().transform(curToNext);
                Affine dMap = policy.toCrop(nxt.box(), 0f), tMap = policy.toCrop(tracked.bounds(), 0f);
                normalise(Warp.toChw(nxt.pixels(), nxt.size(), nxt.size(), dMap, s), u.cropD, p * 3 * s * s);
                normalise(Warp.toChw(nxt.pixels(), nxt.size(), nxt.size(), tMap, s), u.cropT, p * 3 * s * s);
                Affine tToD = dMap.compose(tMap.inverse());   // crop-T pixels -> crop-D pixels
                u.tToD[6 * p] = tToD.a();
                u.tToD[6 * p + 1] = tToD.b();
                u.tToD[6 * p + 2] = tToD.c() / s;
                u.tToD[6 * p + 3] = tToD.d();
                u.tToD[6 * p + 4] = tToD.e();
                u.tToD[6 * p + 5] = tToD.f() / s;
                // Floor: a collapsed pseudo-shape must not blow the normalised error up.
                u.pairIo[p] = Math.max(0.1f, tracked.transform(dMap).interOcular(SCHEME) / s);
            }
            return u;
        }
    }

    /** The unlabelled part of a step's batch. */
    static final class Unlabelled {
        final int n;
        final float[] images, maps, targets, mask;
        int pairs;
        float[] cropD, cropT, tToD, pairIo;
        private final int s;

        Unlabelled(int n, int s, int h, int k) {
            this.n = n;
            this.s = s;
            images = new float[n * 3 * s * s];
            maps = new float[n * k * h * h];
            targets = new float[n * 2 * k];
            mask = new float[n * k];
        }

        void setPairs(int p) {
            pairs = p;
            cropD = new float[p * 3 * s * s];
            cropT = new float[p * 3 * s * s];
            tToD = new float[6 * p];
            pairIo = new float[p];
        }
    }

    private static NDArray slice(NDArray a, int from, int to) { return a.get(new NDIndex(from + ":" + to)); }

    private static void normalise(float[] chw, float[] out, int offset) {
        for (int i = 0; i < chw.length; i++) out[offset + i] = (chw[i] - 127.5f) / 128f;
    }

    /** Face {@code i}'s points from crop units to image pixels. */
    private static float[] toImage(float[] crop, int i, int k, int s, Affine back) {
        float[] xy = new float[2 * k];
        for (int j = 0; j < k; j++) {
            float u = crop[i * 2 * k + 2 * j] * s, v = crop[i * 2 * k + 2 * j + 1] * s;
            xy[2 * j] = back.mapX(u, v);
            xy[2 * j + 1] = back.mapY(u, v);
        }
        return xy;
    }

    /** Validation NME (inter-ocular) of {fused, heatmap head, centre+offsets head}. */
    private double[] validate(TsalNet net, ParameterStore ps, NDManager manager, HeatmapBatchMaker maker, int n) {
        double[] sum = new double[3];
        for (int from = 0; from < n; from += cfg.batchSize) {
            int[] idx = new int[Math.min(cfg.batchSize, n - from)];
            for (int i = 0; i < idx.length; i++) idx[i] = from + i;
            HeatmapBatch b = maker.make(idx, 0);
            try (NDManager step = manager.newSubManager()) {
                NDList o = net.forward(ps, new NDList(step.create(b.images(), new Shape(b.n(), 3, TsalNet.INPUT, TsalNet.INPUT))), false);
                for (int j = 0; j < 3; j++) sum[j] += TrainingRun.meanNme(o.get(j).toFloatArray(), b.targets(), b.interOcular()) * b.n();
            }
        }
        return new double[]{sum[0] / n, sum[1] / n, sum[2] / n};
    }

    /** Teacher <- student, in place (weights and batch-norm statistics). */
    /** Mean teacher: teacher += (1 - ema) x (student - teacher), every parameter including batch-norm statistics. */
    static void followStudent(TsalNet student, TsalNet teacher, float ema) {
        var src = student.getParameters();
        var dst = teacher.getParameters();
        for (int i = 0; i < src.size(); i++) {
            NDArray t = dst.get(i).getValue().getArray();
            try (NDArray d = src.get(i).getValue().getArray().sub(t)) {
                d.muli(1f - ema);
                t.addi(d);
            }
        }
    }

    static void copyWeights(TsalNet from, TsalNet to) {
        var src = from.getParameters();
        var dst = to.getParameters();
        for (int i = 0; i < src.size(); i++) {
            Pair<String, Parameter> a = src.get(i), b = dst.get(i);
            b.getValue().getArray().set(a.getValue().getArray().toByteBuffer());
        }
    }

    private State restore(Path ckpt, TsalNet net, TsalNet teacher, AdamW opt, NDManager manager) throws IOException {
        Map<String, byte[]> sections = SectionFile.read(ckpt);
        State st = TrainingRun.restore(sections, ckpt, net, opt, manager, State.class);
        if (teacher != null && sections.containsKey("teacher")) {
            try {
                teacher.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(sections.get("teacher"))));
            } catch (ai.djl.MalformedModelException e) {
                throw new IOException(ckpt + ": weights do not fit the model: " + e.getMessage(), e);
            }
        }
        return st;
    }

}
