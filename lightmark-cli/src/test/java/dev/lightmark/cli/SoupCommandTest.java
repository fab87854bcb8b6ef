package dev.lightmark.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.testdata.CliRunner;
import dev.lightmark.testdata.SyntheticFaces;
import dev.lightmark.train.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class SoupCommandTest {
    @TempDir Path dir;

    /** A random (untrained) PFLD-0.25X model file: enough to score and average. */
    private Path model(String name) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            ModelSpec spec = new ModelSpec();
            spec.width = 0.25f;
            spec.trainedOn = name;
            Block b = ModelFile.build(spec);
            b.initialize(m, DataType.FLOAT32, new Shape(1, 3, spec.inputSize, spec.inputSize));
            Path file = dir.resolve(name + ".lmk");
            ModelFile.save(file, spec, b);
            return file;
        }
    }

    @Test
    void greedyScoresEachModelAndWritesTheSoupItChose() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 3, 96, 11);
        Path a = model("a"), b = model("b"), out = dir.resolve("soup.lmk");
        CliRunner.Run r = CliRunner.run("soup", "--greedy", "--data", data.toString(), "--no-flip",
                "--model", a.toString(), "--model", b.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("scoring on 3 faces"), r.out());
        assertEquals(2, r.out().split("ingredient ", -1).length - 1, r.out());
        assertTrue(r.out().matches("(?s).*(add |skip) .*soup of 2 .*"), r.out());
        assertTrue(r.out().matches("(?s).*wrote .*soup\\.lmk: [12] of 2 models, NME .*"), r.out());
        assertTrue(Files.size(out) > 10_000);
        assertFalse(Files.exists(dir.resolve("soup.lmk.trial.lmk")));
    }

    @Test
    void mismatchedOptionsAreClearErrors() throws Exception {
        Path a = model("a"), out = dir.resolve("soup.lmk");
        CliRunner.Run r = CliRunner.run("soup", "--greedy", "--model", a.toString(), "--model", a.toString(), "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--greedy needs --data"), r.err());
        r = CliRunner.run("soup", "--greedy", "--data", dir.toString(), "--weight", "1", "--weight", "2",
                "--model", a.toString(), "--model", a.toString(), "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--weight and --greedy"), r.err());
        r = CliRunner.run("soup", "--data", dir.toString(), "--model", a.toString(), "--model", a.toString(), "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("score a --greedy soup"), r.err());
        r = CliRunner.run("soup", "--no-flip", "--model", a.toString(), "--model", a.toString(), "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("score a --greedy soup"), r.err());
        assertFalse(Files.exists(out));
    }
}
