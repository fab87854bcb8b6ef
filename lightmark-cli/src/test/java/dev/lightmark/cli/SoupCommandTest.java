package dev.lightmark.cli;

import dev.lightmark.testdata.CliRunner;
import dev.lightmark.testdata.SyntheticFaces;
import dev.lightmark.train.RandomModelFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class SoupCommandTest {
    @TempDir Path dir;

    private Path model(String name) throws Exception { return RandomModelFiles.pfld(dir, name, 0.25f); }

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
