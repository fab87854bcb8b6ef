package dev.lightmark.cli;

import dev.lightmark.data.PtsFormat;
import dev.lightmark.infer.PointCalibration;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.testdata.CliRunner;
import dev.lightmark.testdata.SyntheticFaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class CalibrateCommandTest {
    @TempDir Path dir;

    @Test
    void annotationsMovedByAFixedAmountMoveTheFittedShiftByIt() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 6, 96, 11);
        Path moved = dir.resolve("moved");
        Files.createDirectories(moved);
        try (Stream<Path> files = Files.list(data)) {
            for (Path f : files.toList()) {
                Path to = moved.resolve(f.getFileName());
                if (!f.toString().endsWith(".pts")) {
                    Files.copy(f, to);
                    continue;
                }
                float[] xy = PtsFormat.read(f).toArray();
                for (int i = 0; i < xy.length; i += 2) {
                    xy[i] += 3f;
                    xy[i + 1] -= 1f;
                }
                PtsFormat.write(to, new Landmarks(xy));
            }
        }
        PointCalibration a = calibrate(data, "a.json"), b = calibrate(moved, "b.json");
        // The boxes move with the points but the faces do not: the network's points follow the
        // faces (measured: 2.85 / -0.85 px of the move in one pass), so the shift takes up the move.
        assertEquals(3.0, b.onePass().x() - a.onePass().x(), 0.35);
        assertEquals(-1.0, b.onePass().y() - a.onePass().y(), 0.35);
        assertEquals(3.0, b.flip().x() - a.flip().x(), 0.35);
        assertTrue(a.fittedOn().contains("6 faces"), a.fittedOn());
    }

    @Test
    void checkFacesMustNotBeFittingFacesAndExcludedOnesAreLeftOut() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("d"), 4, 64, 12);
        List<String> names;
        try (Stream<Path> s = Files.list(data)) {
            names = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pts")).map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
        Path held = dir.resolve("held.txt");
        Files.writeString(held, names.get(0) + "\n");
        CliRunner.Run overlap = CliRunner.run("calibrate", "--model", "fast", "--data", data.toString(),
                "--check", data + "@" + held, "--out", dir.resolve("x.json").toString());
        assertEquals(1, overlap.code());
        assertTrue(overlap.err().contains("also a fitting face"), overlap.err());
        CliRunner.Run ok = CliRunner.run("calibrate", "--model", "fast", "--data", data.toString(), "--exclude", held.toString(),
                "--check", data + "@" + held, "--out", dir.resolve("y.json").toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("NME on the 3 fitting faces"), ok.out());
        assertTrue(ok.out().contains("NME on the 1 check faces"), ok.out());
    }

    private PointCalibration calibrate(Path data, String out) throws Exception {
        Path file = dir.resolve(out);
        CliRunner.Run r = CliRunner.run("calibrate", "--model", "fast", "--data", data.toString(), "--out", file.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("one pass: shift x"), r.out());
        return PointCalibration.load(file);
    }
}
