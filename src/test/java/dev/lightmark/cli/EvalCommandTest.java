package dev.lightmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lightmark.testdata.SyntheticFaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class EvalCommandTest {
    @TempDir Path dir;

    @Test
    void writesSummaryCedPlotAndPerFaceJson() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 6, 96, 7);
        Files.writeString(data.resolve("broken.pts"), "not a pts file");
        Path ced = dir.resolve("ced.png"), json = dir.resolve("report.json");
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true));
        int code;
        try {
            code = Main.commandLine().setErr(new PrintWriter(err, true))
                    .execute("eval", "--data", data.toString(), "--ced", ced.toString(), "--json", json.toString());
        } finally {
            System.setOut(old);
        }
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("inter-ocular: "), out.toString());
        assertTrue(out.toString().contains("(6 faces)"), out.toString());
        assertEquals(800, ImageIO.read(ced.toFile()).getWidth());
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        assertEquals(6, r.get("faces").asInt());
        assertEquals(6, r.get("interOcular").get("faces").size());
    }

    @Test
    void unknownBoxModeIsAClearError() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("d2"), 1, 64, 8);
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err, true)).execute("eval", "--data", data.toString(), "--box", "magic");
        assertEquals(1, code);
        assertTrue(err.toString().contains("--box must be gt or detector"), err.toString());
    }
}
