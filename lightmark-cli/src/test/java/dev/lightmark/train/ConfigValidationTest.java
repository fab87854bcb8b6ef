package dev.lightmark.train;

import dev.lightmark.model.hourglass.HeatmapConfig;
import dev.lightmark.model.hourglass.HeatmapTrainer;
import dev.lightmark.model.pfld.RegressionTrainer;
import dev.lightmark.model.pfld.TrainConfig;
import dev.lightmark.testdata.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Hole 5 of issue 14: a training config is checked completely before any data loads, with one
 * line naming the file and the field. The configs point at a folder that does not exist, so a
 * trainer that got as far as loading data would fail with another message.
 */
class ConfigValidationTest {
    @TempDir Path dir;

    /** The architectures' configs, as the train / cascade train commands read them. */
    private static final Map<String, String> KINDS = Map.of(
            "pfld", "\"architecture\": \"pfld\"",
            "kd-student", "\"architecture\": \"pfld\", \"toughTeacher\": \"teacher.lmk\"",
            "hourglass", "\"architecture\": \"hourglass\"",
            "tsal", "\"architecture\": \"tsal\", \"semi\": true",
            "cascade", "\"epochs\": 2");

    private CliRunner.Run train(String kind, String fields) throws Exception {
        Path cfg = Files.writeString(dir.resolve(kind + ".json"),
                "{" + KINDS.get(kind) + ", \"trainDir\": \"" + dir.resolve("no-such-data") + "\", " + fields + "}");
        Path out = dir.resolve("run-" + kind);
        CliRunner.Run r = kind.equals("cascade")
                ? CliRunner.run("cascade", "train", "--config", cfg.toString(), "--out", out.toString())
                : CliRunner.run("train", "--config", cfg.toString(), "--out", out.toString());
        assertFalse(Files.exists(out), kind + ": the run folder is not even created");
        return r;
    }

    private static void assertOneLineNaming(CliRunner.Run r, String field, String what) {
        assertEquals(1, r.code(), what + ": " + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), what + ": one line, got " + err);
        assertTrue(err.startsWith("error: ") && err.contains("training config") && err.contains(field), what + ": " + err);
        assertFalse(err.contains("no-such-data"), what + ": refused before the data folder was looked at: " + err);
    }

    @Test
    void zeroOrNegativeLearningRatesAreRefusedBeforeAnyDataLoads() throws Exception {
        List<String> seen = new ArrayList<>();
        for (String kind : KINDS.keySet())
            for (String lr : List.of("0", "-0.001", "1e39")) {
                CliRunner.Run r = train(kind, "\"learningRate\": " + lr);
                assertOneLineNaming(r, "learningRate", kind + " lr " + lr);
                seen.add(kind);
            }
        assertEquals(15, seen.size());
    }

    @Test
    void otherImpossibleSettingsNameTheirField() throws Exception {
        String[][] cases = {
                {"pfld", "\"flipProbability\": 1.5", "flipProbability"},
                {"pfld", "\"landmarkLoss\": \"l3\"", "landmarkLoss"},
                {"pfld", "\"minLearningRate\": 0.5", "minLearningRate"},
                {"kd-student", "\"kdDeadZone\": -1", "kdDeadZone"},
                {"hourglass", "\"rmsAlpha\": 1", "rmsAlpha"},
                {"hourglass", "\"decayEpochs\": [40, 20]", "decayEpochs"},
                {"hourglass", "\"depth\": 40", "depth"},
                {"tsal", "\"semiFromEpoch\": 99", "semiFromEpoch"},
                {"tsal", "\"storeSide\": 0", "storeSide"},
                {"cascade", "\"shapeNoise\": -0.1", "shapeNoise"},
                {"cascade", "\"weightDecay\": -1", "weightDecay"},
                {"pfld", "\"threads\": 0", "threads"},
                {"pfld", "\"learningRate\": \"fast\"", "learningRate"},
        };
        for (String[] c : cases) assertOneLineNaming(train(c[0], c[1]), c[2], c[0] + " " + c[1]);
    }

    @Test
    void trainersCheckTheirConfigFirstToo() {
        TrainConfig pfld = new TrainConfig();
        pfld.learningRate = -1e-3f;
        pfld.trainDir = dir.resolve("no-such-data").toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RegressionTrainer(pfld, dir.resolve("r"), System.out).run());
        assertTrue(e.getMessage().contains("learningRate"), e.getMessage());
        HeatmapConfig hg = new HeatmapConfig();
        hg.learningRate = 0;
        hg.trainDir = pfld.trainDir;
        e = assertThrows(IllegalArgumentException.class, () -> new HeatmapTrainer(hg, dir.resolve("h"), System.out).run());
        assertTrue(e.getMessage().contains("learningRate"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("h")));
    }
}
