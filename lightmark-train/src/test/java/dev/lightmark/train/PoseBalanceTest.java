package dev.lightmark.train;

import dev.lightmark.model.pfld.RegressionTrainer;
import dev.lightmark.model.pfld.TrainConfig;

import dev.lightmark.testdata.SyntheticFaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class PoseBalanceTest {
    @TempDir Path dir;

    @Test
    void rarerHeadTurnsAreListedMoreOftenUpToTheCap() {
        // 80 frontal, 16 at 20 deg, 4 at 35 deg, 1 at 50 deg
        double[] yaw = new double[101];
        for (int i = 0; i < 80; i++) yaw[i] = 5;
        for (int i = 80; i < 96; i++) yaw[i] = 20;
        for (int i = 96; i < 100; i++) yaw[i] = 35;
        yaw[100] = 50;
        int[] r = PoseBalance.repeats(yaw, 0.5f, 4);
        assertEquals(1, r[0]);
        assertEquals(2, r[80]);     // sqrt(80 / 16) = 2.2
        assertEquals(4, r[96]);     // sqrt(80 / 4) = 4.5, capped
        assertEquals(4, r[100]);    // sqrt(80) = 8.9, capped
        int[] off = PoseBalance.repeats(yaw, 0f, 4);
        for (int x : off) assertEquals(1, x);
        int[] listing = PoseBalance.listing(r);
        assertEquals(80 + 16 * 2 + 4 * 4 + 4, listing.length);
        assertEquals(80, listing[80]);
        assertEquals(80, listing[81]);
        assertEquals(3, PoseBalance.bucket(45));
        assertEquals(2, PoseBalance.bucket(44.9));
        assertTrue(PoseBalance.describe(yaw, r).contains("faces 80 16 4 1, listed per epoch 80 32 16 4"),
                PoseBalance.describe(yaw, r));
        assertThrows(IllegalArgumentException.class, () -> PoseBalance.repeats(yaw, -1f, 4));
    }

    @Test
    void configChecksAndATrainingRunWithBalancedSampling() throws Exception {
        TrainConfig bad = new TrainConfig();
        bad.poseBalance = 3;
        assertThrows(IllegalArgumentException.class, bad::validate);
        Path data = SyntheticFaces.write(dir.resolve("data"), 20, 96, 5);
        TrainConfig c = dev.lightmark.testdata.TinyTraining.on(data, new TrainConfig());
        c.width = 0.25f;
        c.epochs = 1;
        c.poseBalance = 1f;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new RegressionTrainer(c, dir.resolve("run"), new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("pose-balanced sampling"), log.toString(StandardCharsets.UTF_8));
    }
}
