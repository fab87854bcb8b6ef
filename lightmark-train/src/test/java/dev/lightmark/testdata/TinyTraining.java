package dev.lightmark.testdata;

import dev.lightmark.io.SectionFile;
import dev.lightmark.train.CommonTrainingConfig;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the trainer tests share: settings for runs of a few seconds on {@link SyntheticFaces}, a
 * log nobody reads, and the checks that a killed and resumed run matches an uninterrupted one.
 */
public final class TinyTraining {
    /** For trainer logs the tests do not read. */
    public static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private TinyTraining() {}

    /** {@code cfg} set to train on {@code data}: a fifth held out, batches of 8, one thread, no warm-up. */
    public static <C extends CommonTrainingConfig> C on(Path data, C cfg) {
        cfg.trainDir = data.toString();
        cfg.valFraction = 0.2f;
        cfg.batchSize = 8;
        cfg.threads = 1;
        cfg.warmupEpochs = 0;
        return cfg;
    }

    /** One config's trainer writing to {@code out}, stopped as a kill would after {@code killAfterSteps} steps (0 = never). */
    public interface KillableRun {
        void run(Path out, int killAfterSteps) throws Exception;
    }

    /** The folders of a run never interrupted and of one killed and resumed. */
    public record Resumed(Path straight, Path killed) {}

    /**
     * Trains into {@code dir}/straight, then into {@code dir}/killed killed after {@code killAfterSteps}
     * (leaving no half-written checkpoint) and run again; both must end with the same weights.
     */
    public static Resumed killAndResume(Path dir, int killAfterSteps, KillableRun trainer) throws Exception {
        Path straight = dir.resolve("straight"), killed = dir.resolve("killed");
        trainer.run(straight, 0);
        assertThrows(IllegalStateException.class, () -> trainer.run(killed, killAfterSteps));
        assertFalse(Files.exists(killed.resolve("checkpoint.lmk.tmp")));
        trainer.run(killed, 0);
        assertSameWeights(straight, killed);
        return new Resumed(straight, killed);
    }

    /** The two run folders' last.lmk hold the same weights. */
    public static void assertSameWeights(Path straight, Path resumed) throws IOException {
        assertArrayEquals(SectionFile.read(straight.resolve("last.lmk")).get("weights"),
                SectionFile.read(resumed.resolve("last.lmk")).get("weights"), "resumed weights differ from the uninterrupted run");
    }

    /** The two run folders' log.csv have the same rows; only the last column (seconds) may differ. */
    public static void assertSameLogButTimes(Path straight, Path resumed) throws IOException {
        List<String> a = Files.readAllLines(straight.resolve("log.csv")), b = Files.readAllLines(resumed.resolve("log.csv"));
        assertEquals(a.size(), b.size());
        for (int i = 1; i < a.size(); i++)
            assertEquals(a.get(i).substring(0, a.get(i).lastIndexOf(',')), b.get(i).substring(0, b.get(i).lastIndexOf(',')));
    }

    /** Running {@code resume} is refused because its folder holds a run of another config. */
    public static void assertRefusedAsAnotherConfig(Executable resume) {
        IllegalStateException e = assertThrows(IllegalStateException.class, resume);
        assertTrue(e.getMessage().contains("another config"), e.getMessage());
    }
}
