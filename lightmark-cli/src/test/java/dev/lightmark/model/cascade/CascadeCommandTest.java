package dev.lightmark.model.cascade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lightmark.testdata.CliRunner;
import dev.lightmark.testdata.SyntheticFaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The cascade through the command line: train, eval with stage/threshold options, sweep, plot. */
class CascadeCommandTest {
    @TempDir Path dir;

    @Test
    void trainEvalSweepAndPlot() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 20, 96, 11);
        CascadeConfig c = CascadeTrainerTest.tiny(data);
        c.epochs = 1;
        Path cfg = dir.resolve("cascade.json");
        c.write(cfg);
        Path run = dir.resolve("run");
        CliRunner.Run t = CliRunner.run("cascade", "train", "--config", cfg.toString(), "--out", run.toString(), "--patches", "inner");
        assertEquals(0, t.code(), t.err());
        Path model = run.resolve("best.lmk");

        CliRunner.Run e = CliRunner.run("eval", "--data", data.toString(), "--model", model.toString(), "--no-flip",
                "--stages", "1");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("cascade: 1.00 of 1 stages run"), e.out());

        CliRunner.Run x = CliRunner.run("eval", "--data", data.toString(), "--model", model.toString(), "--exit-threshold", "1e6");
        assertEquals(0, x.code(), x.err());
        assertTrue(x.out().contains("cascade: 1.00 of 2 stages run"), x.out());   // every face is "good enough" at once

        Path json = dir.resolve("sweep.json");
        CliRunner.Run s = CliRunner.run("cascade", "sweep", "--model", model.toString(), "--data", data.toString(),
                "--thresholds", "0.05,1e6", "--json", json.toString());
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("| 2 stages |"), s.out());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(4, root.get("rows").size());
        JsonNode last = root.get("rows").get(3);
        assertEquals(1.0, last.get("meanStages").asDouble(), 1e-9);
        assertEquals(root.get("rows").get(0).get("nme").asDouble(), last.get("nme").asDouble(), 1e-12);

        Path png = dir.resolve("cost.png");
        CliRunner.Run p = CliRunner.run("cascade", "plot", "--sweep", "tiny=" + json, "--model", "PFLD=2e6:0.05",
                "--level", "dlib=0.032", "--out", png.toString());
        assertEquals(0, p.code(), p.err());
        assertEquals(900, ImageIO.read(png.toFile()).getWidth());
    }

    @Test
    void stageOptionsOnANonCascadeModelAreAClearError() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("d"), 1, 64, 3);
        CliRunner.Run r = CliRunner.run("eval", "--data", data.toString(), "--stages", "2");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("need a cascade model"), r.err());
    }

    @Test
    void anUnknownPatchSubsetIsNamed() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("d"), 4, 64, 3);
        CliRunner.Run r = CliRunner.run("cascade", "train", "--out", dir.resolve("r").toString(), "--patches", "nose");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("patches must be all, half or inner"), r.err());
    }
}
