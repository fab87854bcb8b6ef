package dev.lightmark.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-epoch training log: a header, then one row per epoch starting with its number and loss.
 * On resume, rows past the checkpoint's epoch (written after the last checkpoint by a run that was
 * then killed) are dropped so the log matches the weights.
 */
final class CsvLog {
    private final Path file;

    CsvLog(Path file, String header, int completedEpochs) throws IOException {
        this.file = file;
        List<String> keep = new ArrayList<>();
        keep.add(header);
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("epoch")) continue;
                if (Integer.parseInt(line.split(",")[0]) <= completedEpochs) keep.add(line);
            }
        }
        Files.write(file, keep, StandardCharsets.UTF_8);
    }

    /** The loss of the log's first epoch (column 2), NaN before one is logged. */
    double firstLoss() throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return lines.size() > 1 ? Double.parseDouble(lines.get(1).split(",")[1]) : Double.NaN;
    }

    /** Appends a row, given with its line end. */
    void append(String row) throws IOException {
        Files.writeString(file, row, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
