package dev.lightmark.batch;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Finds the images of a folder tree for batch detection. */
public final class ImageFiles {
    private ImageFiles() {}

    /** True for names ending in .jpg, .jpeg, .png or .bmp, in any case. */
    public static boolean isImageName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".bmp");
    }

    /**
     * Every image file under {@code dir} (recursive, sorted by path). Symbolic links are followed,
     * to files and to folders, since datasets are often laid out with links; a broken link, a
     * link loop or a sub-folder that cannot be read is reported on {@code warn} and left out.
     */
    public static List<Path> list(Path dir, PrintWriter warn) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException(dir + ": not a folder");
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(dir, java.util.EnumSet.of(java.nio.file.FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (!isImageName(file.getFileName().toString())) return FileVisitResult.CONTINUE;
                if (attrs.isRegularFile()) found.add(file);
                else if (attrs.isSymbolicLink()) warn.println("skipped: " + file + ": broken link");
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                warn.println("skipped: " + file + ": cannot read (" + e.getMessage() + ")");
                return FileVisitResult.CONTINUE;
            }
        });
        found.sort(null);
        return found;
    }
}
