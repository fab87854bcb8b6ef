package dev.lightmark.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParameterList;
import dev.lightmark.infer.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class GreedySoupTest {
    @TempDir Path dir;

    private Path model(String name, NDManager manager) throws Exception {
        ModelSpec spec = new ModelSpec();
        spec.width = 0.25f;
        spec.trainedOn = name;
        Block b = ModelFile.build(spec);
        b.initialize(manager, DataType.FLOAT32, new Shape(1, 3, spec.inputSize, spec.inputSize));
        Path file = dir.resolve(name + ".lmk");
        ModelFile.save(file, spec, b);
        return file;
    }

    private static float[] flat(Path file, NDManager manager) throws Exception {
        try (InputStream in = Files.newInputStream(file); NDManager m = manager.newSubManager()) {
            ParameterList p = ModelFile.load(in, file.toString(), m).block().getParameters();
            int n = 0;
            for (var e : p) n += (int) e.getValue().getArray().size();
            float[] out = new float[n];
            int at = 0;
            for (var e : p) {
                float[] v = e.getValue().getArray().toFloatArray();
                System.arraycopy(v, 0, out, at, v.length);
                at += v.length;
            }
            return out;
        }
    }

    /**
     * When no soup beats the best ingredient (here c, scored as better than anything a soup
     * reaches), the output is that ingredient unchanged and every other step is skipped.
     */
    @Test
    void whenNoSoupBeatsTheBestIngredientItIsWrittenAsItIs() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Path a = model("a", m), b = model("b", m), c = model("c", m), out = dir.resolve("soup.lmk");
            GreedySoup.Scorer scorer = file -> file.equals(c) ? 0.0 : 1.0;
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            GreedySoup.Result r = GreedySoup.cook(List.of(a, b, c), scorer, out, new PrintStream(log, true));
            assertEquals(List.of(c), r.chosen());
            assertEquals(3, r.steps().size());
            assertTrue(r.steps().get(0).kept() && !r.steps().get(1).kept() && !r.steps().get(2).kept(), r.steps().toString());
            assertArrayEquals(Files.readAllBytes(c), Files.readAllBytes(out));
            assertFalse(Files.exists(dir.resolve("soup.lmk.trial.lmk")) || Files.exists(dir.resolve("soup.lmk.kept.lmk")),
                    "trial soups are removed");
            assertTrue(log.toString().contains("skip"), log.toString());
        }
    }

    @Test
    void withoutCheatingTheScoreTheSoupOfTheTwoHalvesIsTheTarget() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Path a = model("a", m), b = model("b", m), c = model("c", m), target = dir.resolve("target.lmk");
            ModelSoup.mix(List.of(a, b), null, target);
            float[] t = flat(target, m);
            GreedySoup.Scorer distance = file -> {
                float[] w = flat(file, m);
                double d = 0;
                for (int i = 0; i < w.length; i++) d += (w[i] - t[i]) * (double) (w[i] - t[i]);
                return Math.sqrt(d);
            };
            Path out = dir.resolve("soup.lmk");
            GreedySoup.Result r = GreedySoup.cook(List.of(c, a, b), distance, out, new PrintStream(new ByteArrayOutputStream()));
            assertEquals(2, r.chosen().size(), "a and b stay, c is skipped: " + r.steps());
            assertTrue(r.chosen().containsAll(List.of(a, b)), r.chosen().toString());
            assertEquals(0, r.score(), 1e-3, "the soup of a and b is the target");
            assertEquals(0, distance.score(out), 1e-3);
            assertFalse(r.steps().get(2).kept(), "the third ingredient made the soup worse: " + r.steps());
        }
    }

    @Test
    void refusesFewerThanTwoOrMissingModels() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Path a = model("a", m), out = dir.resolve("soup.lmk");
            GreedySoup.Scorer never = file -> { throw new AssertionError("nothing is scored"); };
            assertTrue(assertThrows(IllegalArgumentException.class, () -> GreedySoup.cook(List.of(a), never, out, System.out))
                    .getMessage().contains("at least two"));
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> GreedySoup.cook(List.of(a, dir.resolve("gone.lmk")), never, out, System.out)).getMessage().contains("gone.lmk"));
            assertFalse(Files.exists(out));
        }
    }
}
