package dev.lightmark.cli;

import dev.lightmark.train.CalibrationFaces;
import dev.lightmark.testdata.CliRunner;
import dev.lightmark.testdata.SyntheticFaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ExportCommandTest {
    @TempDir Path dir;

    @Test
    void int8WithoutCalibrationFacesIsAClearErrorAndWritesNothing() {
        Path out = dir.resolve("m.onnx");
        CliRunner.Run r = CliRunner.run("export", "--int8", "--calibration", dir.resolve("nope").toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--calibration: no folder"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void int8OfAModelItWouldSlowDownIsRefused() throws Exception {
        Path faces = SyntheticFaces.write(dir.resolve("faces"), 2, 96, 3);
        Path out = dir.resolve("pfld.onnx");
        // No --model: the bundled PFLD weights, whose depthwise layers run slower in int8.
        CliRunner.Run r = CliRunner.run("export", "--int8", "--calibration", faces.toString(), "--out", out.toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("int8 export is checked for hourglass models, not pfld"), r.err());
        assertFalse(Files.exists(out));
    }
}
