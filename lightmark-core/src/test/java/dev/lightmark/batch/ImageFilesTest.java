package dev.lightmark.batch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFilesTest {
    @TempDir Path dir;

    @Test
    void linkedFilesAndFoldersAreListedBrokenLinksAndLoopsReported() throws Exception {
        Path store = Files.createDirectories(dir.resolve("store"));
        Files.write(store.resolve("a.jpg"), new byte[]{1});
        Files.createDirectories(store.resolve("sub"));
        Files.write(store.resolve("sub/b.PNG"), new byte[]{1});
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.write(data.resolve("own.bmp"), new byte[]{1});
        Files.write(data.resolve("notes.txt"), new byte[]{1});
        Files.createSymbolicLink(data.resolve("linked.jpg"), store.resolve("a.jpg"));
        Files.createSymbolicLink(data.resolve("linked-folder"), store.resolve("sub"));
        Files.createSymbolicLink(data.resolve("gone.jpg"), store.resolve("missing.jpg"));
        Files.createSymbolicLink(data.resolve("loop"), data);
        StringWriter warn = new StringWriter();
        List<Path> found = ImageFiles.list(data, new PrintWriter(warn, true));
        assertEquals(List.of(data.resolve("linked-folder/b.PNG"), data.resolve("linked.jpg"), data.resolve("own.bmp")), found);
        assertTrue(warn.toString().contains("gone.jpg: broken link"), warn.toString());
        assertTrue(warn.toString().contains("loop"), warn.toString());
    }
}
