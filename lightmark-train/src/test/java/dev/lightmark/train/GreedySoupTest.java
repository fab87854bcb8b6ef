package dev.lightmark.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class GreedySoupTest {
    @TempDir Path dir;

    private Path model(String name) throws Exception { return RandomModelFiles.pfld(dir, name, 0.25f); }

    /** Euclidean distance between two models' weights. */
    private static double distance(float[][] w, float[][] t) {
        double d = 0;
        for (int i = 0; i < w.length; i++)
            for (int j = 0; j < w[i].length; j++) d += (w[i][j] - t[i][j]) * (double) (w[i][j] - t[i][j]);
        return Math.sqrt(d);
    }

    /**
     * When no soup beats the best ingredient (here c, scored as better than anything a soup
     * reaches), the output is that ingredient unchanged and every other step is skipped.
     */
    @Test
    void whenNoSoupBeatsTheBestIngredientItIsWrittenAsItIs() throws Exception {
        Path a = model("a"), b = model("b"), c = model("c"), out = dir.resolve("soup.lmk");
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

    @Test
    void withoutCheatingTheScoreTheSoupOfTheTwoHalvesIsTheTarget() throws Exception {
        Path a = model("a"), b = model("b"), c = model("c"), target = dir.resolve("target.lmk");
        ModelSoup.mix(List.of(a, b), null, target);
        float[][] t = RandomModelFiles.parameters(target);
        GreedySoup.Scorer distance = file -> distance(RandomModelFiles.parameters(file), t);
        Path out = dir.resolve("soup.lmk");
        GreedySoup.Result r = GreedySoup.cook(List.of(c, a, b), distance, out, new PrintStream(new ByteArrayOutputStream()));
        assertEquals(2, r.chosen().size(), "a and b stay, c is skipped: " + r.steps());
        assertTrue(r.chosen().containsAll(List.of(a, b)), r.chosen().toString());
        assertEquals(0, r.score(), 1e-3, "the soup of a and b is the target");
        assertEquals(0, distance.score(out), 1e-3);
        assertFalse(r.steps().get(2).kept(), "the third ingredient made the soup worse: " + r.steps());
    }

    @Test
    void refusesFewerThanTwoOrMissingModels() throws Exception {
        Path a = model("a"), out = dir.resolve("soup.lmk");
        GreedySoup.Scorer never = file -> { throw new AssertionError("nothing is scored"); };
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GreedySoup.cook(List.of(a), never, out, System.out))
                .getMessage().contains("at least two"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> GreedySoup.cook(List.of(a, dir.resolve("gone.lmk")), never, out, System.out)).getMessage().contains("gone.lmk"));
        assertFalse(Files.exists(out));
    }
}
