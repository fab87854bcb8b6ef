package dev.lightmark.train;

import dev.lightmark.model.hourglass.HeatmapConfig;
import dev.lightmark.model.hourglass.HeatmapTrainer;
import dev.lightmark.model.pfld.RegressionTrainer;
import dev.lightmark.model.pfld.TrainConfig;
import dev.lightmark.testdata.SyntheticFaces;
import dev.lightmark.testdata.TinyTraining;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** Fine-tuning ("initFrom"): a new run starts from a model file's weights, never from another architecture's. */
class InitFromTest {
    @TempDir Path dir;

    private static final Pattern BEFORE = Pattern.compile("validation NME before training \\(([a-z ]+)\\): ([0-9.]+)%");

    private TrainConfig tiny(Path data, int epochs) {
        TrainConfig c = TinyTraining.on(data, new TrainConfig());
        c.learningRate = 3e-3f;
        c.poseWeighting = false;
        c.epochs = epochs;
        return c;
    }

    private static Matcher before(String log) {
        Matcher m = BEFORE.matcher(log);
        assertTrue(m.find(), log);
        return m;
    }

    @Test
    void aFineTuneStartsWhereItsModelEndedNotFromTheMeanShape() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 32, 96, 8);
        new RegressionTrainer(tiny(data, 5), dir.resolve("a"), TinyTraining.QUIET).run();
        List<String> rows = Files.readAllLines(dir.resolve("a/log.csv"));
        double bestVal = rows.stream().skip(1).mapToDouble(r -> Double.parseDouble(r.split(",")[3])).min().orElseThrow();

        TrainConfig ft = tiny(data, 1);
        ft.initFrom = dir.resolve("a/best.lmk").toString();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new RegressionTrainer(ft, dir.resolve("b"), new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        Matcher b = before(log.toString(StandardCharsets.UTF_8));
        assertEquals("initial weights", b.group(1));
        assertEquals(100 * bestVal, Double.parseDouble(b.group(2)), 0.006, "the fine-tune begins at the model's validation NME");

        ByteArrayOutputStream fresh = new ByteArrayOutputStream();
        new RegressionTrainer(tiny(data, 1), dir.resolve("c"), new PrintStream(fresh, true, StandardCharsets.UTF_8)).run();
        Matcher c = before(fresh.toString(StandardCharsets.UTF_8));
        assertEquals("mean shape", c.group(1));
        assertTrue(Double.parseDouble(b.group(2)) < Double.parseDouble(c.group(2)), b.group() + " vs " + c.group());
    }

    @Test
    void aModelOfAnotherArchitectureOrAMissingFileIsRefusedByName() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 16, 96, 9);
        HeatmapConfig h = TinyTraining.on(data, new HeatmapConfig());
        h.inputSize = 64;
        h.stacks = 1;
        h.depth = 2;
        h.channels = 16;
        h.epochs = 1;
        new HeatmapTrainer(h, dir.resolve("hg"), TinyTraining.QUIET).run();

        TrainConfig p = tiny(data, 1);
        p.initFrom = dir.resolve("hg/best.lmk").toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RegressionTrainer(p, dir.resolve("p"), TinyTraining.QUIET).run());
        assertTrue(e.getMessage().contains("holds a hourglass model; this run trains pfld"), e.getMessage());

        HeatmapConfig wider = TinyTraining.on(data, new HeatmapConfig());
        wider.inputSize = 64;
        wider.stacks = 1;
        wider.depth = 2;
        wider.channels = 32;
        wider.epochs = 1;
        wider.initFrom = dir.resolve("hg/best.lmk").toString();
        e = assertThrows(IllegalArgumentException.class, () -> new HeatmapTrainer(wider, dir.resolve("w"), TinyTraining.QUIET).run());
        assertTrue(e.getMessage().contains("do not fit"), e.getMessage());

        TrainConfig missing = tiny(data, 1);
        missing.initFrom = dir.resolve("nothing.lmk").toString();
        e = assertThrows(IllegalArgumentException.class, () -> new RegressionTrainer(missing, dir.resolve("m"), TinyTraining.QUIET).run());
        assertTrue(e.getMessage().contains("initFrom") && e.getMessage().contains("nothing.lmk"), e.getMessage());
    }
}
