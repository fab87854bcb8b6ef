package dev.lightmark.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.lightmark.model.ModelFile;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.progress.ProgressBar;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The epoch loop every trainer runs: a seeded order of the training faces per epoch, steps under a
 * progress bar that resumes at the checkpoint's step, a mid-epoch checkpoint every
 * {@code checkpointEverySteps}, then validation, last.lmk, best.lmk (lowest validation NME, or
 * every epoch without validation faces), the end-of-epoch checkpoint and a log.csv row.
 *
 * <p>What a step computes, what the bar and the log say and what extra sections a checkpoint holds
 * is the trainer's part, given as {@link Steps}. The order of the file writes is what makes a killed
 * run resume exactly: the end-of-epoch checkpoint is written before the log row, and the log drops
 * rows past the checkpoint on resume.
 */
public final class EpochLoop<S extends EpochLoop.Position> {

    /** Position in the run, saved in checkpoints as JSON; subclasses add their running sums. */
    public abstract static class Position {
        public int epoch;          // epoch in progress
        public int step;           // next step inside that epoch
        public double bestValNme = Double.MAX_VALUE;

        /** Clears the running sums of the epoch that has just ended (run totals carry on). */
        public abstract void clearEpochSums();
    }

    /**
     * The run's settings the loop needs. Each epoch lists the {@code faces} training faces
     * {@code repeat} times in a seeded order; {@code validates} is whether there are validation faces.
     */
    public record Plan(int epochs, int batchSize, long seed, int checkpointEverySteps, int faces, int repeat,
                       boolean validates) {
        public int stepsPerEpoch() { return (faces * repeat + batchSize - 1) / batchSize; }
    }

    /** A trainer's part of the loop. */
    public interface Steps<S extends Position> {
        /** First line of log.csv. */
        String csvHeader();

        /** Called at the start of each epoch this process runs, also when it resumes one mid-way. */
        default void beginEpoch(S st) {}

        /** The progress bar's label. */
        default String label(S st, int epochs) { return String.format("epoch %d/%d", st.epoch + 1, epochs); }

        float learningRate(int epoch, int step, int stepsPerEpoch);

        /**
         * One optimisation step on these training faces (bank indices); adds to the running sums in
         * {@code st}. The step computes its loss and gradients and hands the loss to
         * {@code update}, which applies the weights' update, or stops the run if the loss is not finite.
         */
        void step(S st, int[] faces, float lr, Update update) throws IOException;

        /** The bar's text after a step. */
        String status(S st, float lr);

        /** After the epoch's last step: its numbers, validation included, taken before the sums are cleared. */
        Epoch finish(S st) throws IOException;

        /** Sections a checkpoint holds beside the weights, optimizer and position. */
        default Map<String, byte[]> extraSections() throws IOException { return Map.of(); }

        /** Called once the end-of-epoch checkpoint of {@code epoch} (counted from 1) is written. */
        default void checkpointed(int epoch, Path checkpoint) throws IOException {}
    }

    /**
     * The weight update a step hands its loss to: the one place every trainer's non-finite loss
     * is stopped, before it reaches the weights or a checkpoint (the last checkpoint keeps the
     * weights before it).
     */
    public static final class Update {
        private final Optimizer opt;
        private final int epoch, step;

        /** Public for tests that drive a trainer's step by hand. */
        public Update(Optimizer opt, int epoch, int step) {
            this.opt = opt;
            this.epoch = epoch;
            this.step = step;
        }

        /** Checks {@code loss}, then applies the optimizer's update with temporaries in {@code scratch}. */
        public void apply(float loss, float lr, float weightDecay, NDManager scratch) {
            if (!Float.isFinite(loss))
                throw new IllegalStateException(String.format(java.util.Locale.ROOT,
                        "training diverged at epoch %d step %d: loss %s; the last checkpoint holds the weights before it;"
                                + " lower learningRate and start a new run", epoch + 1, step + 1, loss));
            opt.step(lr, weightDecay, scratch);
        }
    }

    /** What an epoch ended with. */
    public interface Epoch {
        /** Mean training loss (the run's first and last loss). */
        double loss();

        /** The validation NME best.lmk is chosen by; NaN without validation. */
        double valNme();

        String csvRow(int epoch, float lr, double seconds);

        /** The log line (without its line end). */
        String message(int epoch, boolean best, double seconds);
    }

    /** First and last epoch's loss (the first one from log.csv when resumed) and the seconds of the epochs run here. */
    public record Outcome(double firstLoss, double lastLoss, double seconds, int epochsRun) {
        public double secondsPerEpoch() { return epochsRun > 0 ? seconds / epochsRun : Double.NaN; }
    }

    private final Path out;
    private final PrintStream log;
    private final ModelSpec spec;
    private final Block net;
    private final Optimizer opt;
    private final NDManager manager;
    private final Plan plan;
    private int killAfterSteps;

    public EpochLoop(Path out, PrintStream log, ModelSpec spec, Block net, Optimizer opt, NDManager manager, Plan plan) {
        this.out = out;
        this.log = log;
        this.spec = spec;
        this.net = net;
        this.opt = opt;
        this.manager = manager;
        this.plan = plan;
    }

    /** Test hook: throw after this many steps of {@link #run}, as a kill would stop it (0 = never). */
    public EpochLoop<S> killAfterSteps(int steps) {
        killAfterSteps = steps;
        return this;
    }

    /** Runs from {@code st} (fresh or restored) to the last epoch; {@code st} ends at the run's end. */
    public Outcome run(S st, Steps<S> steps) throws IOException {
        Path ckpt = TrainingRun.checkpoint(out);
        CsvLog csv = new CsvLog(out.resolve("log.csv"), steps.csvHeader(), st.epoch);
        int perEpoch = plan.stepsPerEpoch();
        double firstLoss = csv.firstLoss(), lastLoss = Double.NaN, seconds = 0;
        int epochsRun = 0;
        for (; st.epoch < plan.epochs; st.epoch++) {
            long t0 = System.nanoTime();
            steps.beginEpoch(st);
            int[] order = order(st.epoch);
            try (ProgressBar bar = new ProgressBar(steps.label(st, plan.epochs), perEpoch, "steps")) {
                bar.step(st.step);
                for (; st.step < perEpoch; st.step++) {
                    int from = st.step * plan.batchSize, to = Math.min(order.length, from + plan.batchSize);
                    float lr = steps.learningRate(st.epoch, st.step, perEpoch);
                    steps.step(st, Arrays.copyOfRange(order, from, to), lr, new Update(opt, st.epoch, st.step));
                    bar.status(steps.status(st, lr));
                    bar.step(1);
                    if (plan.checkpointEverySteps > 0 && (st.step + 1) % plan.checkpointEverySteps == 0 && st.step + 1 < perEpoch) {
                        st.step++;   // the checkpoint resumes at the next step
                        TrainingRun.save(ckpt, st, spec, net, opt, manager, steps.extraSections());
                        st.step--;
                    }
                    if (killAfterSteps > 0 && --killAfterSteps == 0) throw new IllegalStateException("simulated kill");
                }
            }
            Epoch e = steps.finish(st);
            double secs = (System.nanoTime() - t0) / 1e9;
            seconds += secs;
            epochsRun++;
            if (Double.isNaN(firstLoss)) firstLoss = e.loss();
            lastLoss = e.loss();
            boolean best = !Double.isNaN(e.valNme()) && e.valNme() < st.bestValNme;
            if (best) st.bestValNme = e.valNme();
            ModelFile.save(out.resolve("last.lmk"), spec, net);
            if (best || !plan.validates) ModelFile.save(out.resolve("best.lmk"), spec, net);
            int finished = st.epoch;
            // The end-of-epoch checkpoint resumes at the next epoch's first step.
            st.clearEpochSums();
            st.epoch++;
            st.step = 0;
            TrainingRun.save(ckpt, st, spec, net, opt, manager, steps.extraSections());
            steps.checkpointed(finished + 1, ckpt);
            st.epoch--;
            csv.append(e.csvRow(finished + 1, steps.learningRate(finished, perEpoch - 1, perEpoch), secs));
            log.println(e.message(finished + 1, best, secs));
        }
        return new Outcome(firstLoss, lastLoss, seconds, epochsRun);
    }

    /** The epoch's seeded order of the listed faces (each listed {@code repeat} times). */
    int[] order(int epoch) {
        int[] order = TrainingRun.permutation(plan.faces * plan.repeat, new SplittableRandom(plan.seed + 7919L * (epoch + 1)));
        for (int i = 0; i < order.length; i++) order[i] %= plan.faces;
        return order;
    }
}
