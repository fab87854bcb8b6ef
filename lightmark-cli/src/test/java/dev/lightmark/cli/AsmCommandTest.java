package dev.lightmark.cli;

import dev.lightmark.shape.ShapeModel;
import dev.lightmark.testdata.SyntheticFaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AsmCommandTest {
    @TempDir
    Path dir;

    @Test
    void cliFitsAndReports() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 8, 64, 3);
        Files.writeString(data.resolve("broken.pts"), "not a pts file");
        Path out = dir.resolve("asm.json");
        StringWriter err = new StringWriter();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream old = System.out, oldErr = System.err;
        System.setOut(new PrintStream(stdout, true));
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true));
        int code;
        try {
            code = Main.commandLine().setErr(new PrintWriter(err, true))
                    .execute("asm", "fit", "--data", data.toString(), "--variance", "0.9", "--out", out.toString());
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
        assertEquals(0, code, err.toString());
        String text = stdout.toString();
        assertTrue(text.contains("shapes used: 8 (1 skipped)"), text);
        assertTrue(text.contains("modes kept: "), text);
        assertTrue(text.contains("NME inter-ocular: mean "), text);
        assertEquals(8, ShapeModel.load(out).provenance().shapes());
    }

}
