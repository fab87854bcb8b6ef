package dev.lightmark.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.lightmark.io.SectionFile;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.model.TorchSetup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.*;

/** The shared epoch loop on a one-weight "model" whose weight records the last step taken. */
class EpochLoopTest {
    @TempDir Path dir;

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    /** Validation NME by epoch: the second epoch is the best. */
    private static final double[] VAL = {0.5, 0.3, 0.4};

    public static class Counted extends EpochLoop.Position {
        public double lossSum;
        public int steps;

        @Override
        public void clearEpochSums() {
            lossSum = 0;
            steps = 0;
        }
    }

    /** Runs (or resumes) in {@code out}; every step taken is added to {@code taken} as "epoch:step:faces". */
    private Counted run(Path out, EpochLoop.Plan plan, int killAfter, List<String> taken) throws Exception {
        TorchSetup.configure(1);
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            Linear net = Linear.builder().setUnits(1).build();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1));
            AdamW opt = new AdamW(net.getParameters(), m);
            Path ckpt = TrainingRun.checkpoint(out);
            Files.createDirectories(out);
            Counted st = Files.exists(ckpt)
                    ? TrainingRun.restore(SectionFile.read(ckpt), ckpt, net, opt, m, Counted.class) : new Counted();
            new EpochLoop<Counted>(out, QUIET, new ModelSpec(), net, opt, m, plan).killAfterSteps(killAfter)
                    .run(st, new EpochLoop.Steps<>() {
                        public String csvHeader() { return "epoch,loss,val,lr,seconds"; }

                        public float learningRate(int epoch, int step, int stepsPerEpoch) { return epoch + step / 100f; }

                        public void step(Counted st, int[] faces, float lr, EpochLoop.Update update) {
                            taken.add(st.epoch + ":" + st.step + ":" + Arrays.toString(faces));
                            net.getParameters().get("weight").getArray().set(new float[]{10 * st.epoch + st.step});
                            st.lossSum += faces.length;
                            st.steps++;
                        }

                        public String status(Counted st, float lr) { return "steps " + st.steps; }

                        public EpochLoop.Epoch finish(Counted st) {
                            double loss = st.lossSum / st.steps, val = VAL[st.epoch];
                            return new EpochLoop.Epoch() {
                                public double loss() { return loss; }
                                public double valNme() { return val; }
                                public String csvRow(int epoch, float lr, double s) {
                                    return String.format(Locale.ROOT, "%d,%.3f,%.2f,%.2f,%.1f%n", epoch, loss, val, lr, s);
                                }
                                public String message(int epoch, boolean best, double s) { return "epoch " + epoch; }
                            };
                        }
                    });
            return st;
        }
    }

    private static float weight(Path model) throws Exception {
        byte[] w = SectionFile.read(model).get("weights");
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            Linear net = Linear.builder().setUnits(1).build();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1));
            net.loadParameters(m, new java.io.DataInputStream(new java.io.ByteArrayInputStream(w)));
            return net.getParameters().get("weight").getArray().getFloat();
        }
    }

    @Test
    void theUpdateStopsANonFiniteLossBeforeTheOptimizerSeesIt() {
        int[] applied = {0};
        Optimizer counting = new Optimizer() {
            public ai.djl.ndarray.NDList state(NDManager into) { return new ai.djl.ndarray.NDList(); }
            public void restore(ai.djl.ndarray.NDList state) {}
            public void step(float lr, float weightDecay, NDManager scratch) { applied[0]++; }
        };
        new EpochLoop.Update(counting, 0, 0).apply(0.5f, 1e-3f, 0f, null);
        assertEquals(1, applied[0]);
        for (float bad : new float[]{Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new EpochLoop.Update(counting, 2, 4).apply(bad, 1e-3f, 0f, null));
            assertTrue(e.getMessage().contains("diverged at epoch 3 step 5"), e.getMessage());
        }
        assertEquals(1, applied[0], "a non-finite loss must not reach the weights");
    }

    @Test
    void eachEpochListsEveryFaceRepeatTimes() throws Exception {
        List<String> taken = new ArrayList<>();
        run(dir, new EpochLoop.Plan(2, 3, 7, 0, 5, 2, true), 0, taken);
        assertEquals(8, taken.size(), "10 listed faces in batches of 3: 4 steps an epoch");
        for (int e = 0; e < 2; e++) {
            int[] seen = new int[5];
            for (String t : taken)
                if (t.startsWith(e + ":"))
                    for (String f : t.substring(t.indexOf('[') + 1, t.length() - 1).split(", ")) seen[Integer.parseInt(f)]++;
            assertArrayEquals(new int[]{2, 2, 2, 2, 2}, seen, "epoch " + e);
        }
    }

    @Test
    void aKilledRunResumesWithTheNextStepAndKeepsTheBestEpoch() throws Exception {
        EpochLoop.Plan plan = new EpochLoop.Plan(3, 2, 11, 1, 6, 1, true);
        List<String> straight = new ArrayList<>();
        Counted a = run(dir.resolve("straight"), plan, 0, straight);

        List<String> killed = new ArrayList<>();
        Path out = dir.resolve("killed");
        assertThrows(IllegalStateException.class, () -> run(out, plan, 5, killed));   // epoch 2, step 2 of 3
        assertEquals(5, killed.size());
        Counted b = run(out, plan, 0, killed);

        assertEquals(straight, killed, "the resumed run takes exactly the steps the straight one took");
        assertEquals(0.3, a.bestValNme);
        assertEquals(0.3, b.bestValNme);
        assertEquals(3, b.epoch);
        assertEquals(12f, weight(out.resolve("best.lmk")), "best.lmk is the end of epoch 2 (its last step: 10 + 2)");
        assertEquals(22f, weight(out.resolve("last.lmk")));
        List<String> logA = Files.readAllLines(dir.resolve("straight/log.csv")), logB = Files.readAllLines(out.resolve("log.csv"));
        assertEquals(4, logB.size());
        assertEquals("epoch,loss,val,lr,seconds", logB.get(0));
        for (int i = 1; i < 4; i++) {
            assertEquals(logA.get(i).substring(0, logA.get(i).lastIndexOf(',')), logB.get(i).substring(0, logB.get(i).lastIndexOf(',')));
            assertTrue(logB.get(i).startsWith(i + ",2.000,"), logB.get(i));
        }
    }
}
