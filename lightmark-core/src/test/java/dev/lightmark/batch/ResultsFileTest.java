package dev.lightmark.batch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ResultsFileTest {
    @TempDir Path dir;

    @Test
    void repairsAPartialTailAndDropsUnreadableLines() throws Exception {
        Path f = dir.resolve("r.jsonl");
        Path a = dir.resolve("a.jpg"), b = dir.resolve("b.jpg"), c = dir.resolve("c.jpg");
        String tail = "{\"image\":\"" + c + "\",\"fa";
        Files.writeString(f, "{\"image\":\"" + a + "\",\"faces\":[]}\n"
                + "garbage\n"
                + "{\"image\":\"" + b + "\",\"error\":\"bad\"}\n"
                + tail);
        try (ResultsFile r = ResultsFile.open(f, null)) {
            assertEquals(new ResultsFile.Recovery(2, 1, tail.length(), 1, 0), r.recovery());
            assertTrue(r.has(a, false));
            assertFalse(r.has(b, false));
            assertTrue(r.has(b, true));
            assertFalse(r.has(c, true));
            // The same image through another spelling of its path.
            assertTrue(r.has(dir.resolve("x/../a.jpg"), false));
            r.append("{\"image\":\"" + c + "\",\"faces\":[]}");
        }
        assertEquals(3, Files.readAllLines(f).size());
        assertTrue(Files.readString(f).endsWith("\n"));
        try (ResultsFile r = ResultsFile.open(f, n -> n.has("error"))) {
            assertEquals(1, r.recovery().removed());
            assertFalse(r.has(b, true));
        }
        assertEquals(2, Files.readAllLines(f).size());
        assertFalse(Files.exists(dir.resolve("r.jsonl.tmp")));
    }

    @Test
    void aSecondWriterIsRefused() throws Exception {
        Path f = dir.resolve("r.jsonl");
        try (ResultsFile r = ResultsFile.open(f, null)) {
            IOException e = assertThrows(IOException.class, () -> ResultsFile.open(f, null));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
        try (ResultsFile r = ResultsFile.open(f, null)) {
            assertEquals(0, r.recovery().records());
        }
    }
}
