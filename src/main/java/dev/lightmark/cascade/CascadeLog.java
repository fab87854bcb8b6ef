package dev.lightmark.cascade;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Per-epoch CSV of a cascade run: loss, training and validation NME after each stage, the error
 * head's mean absolute error on validation, learning rate, seconds. On resume, rows past the
 * checkpoint's epoch (written by a run killed before its next checkpoint) are dropped.
 */
final class CascadeLog {
    private final Path file;
    private final int stages;

    CascadeLog(Path file, int stages, int completedEpochs) throws IOException {
        this.file = file;
        this.stages = stages;
        List<String> keep = new ArrayList<>();
        keep.add(header());
        if (Files.exists(file))
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("epoch")) continue;
                if (Integer.parseInt(line.split(",")[0]) <= completedEpochs) keep.add(line);
            }
        Files.write(file, keep, StandardCharsets.UTF_8);
    }

    private String header() {
        StringBuilder h = new StringBuilder("epoch,train_loss");
        for (int t = 1; t <= stages; t++) h.append(",train_nme_s").append(t);
        for (int t = 1; t <= stages; t++) h.append(",val_nme_s").append(t);
        return h.append(",val_error_mae,lr,seconds").toString();
    }

    double firstLoss() throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return lines.size() > 1 ? Double.parseDouble(lines.get(1).split(",")[1]) : Double.NaN;
    }

    void append(int epoch, double loss, double[] trainNme, double[] valNme, double errMae, float lr, double secs) throws IOException {
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%d,%.6f", epoch, loss));
        for (double v : trainNme) row.append(String.format(Locale.ROOT, ",%.6f", v));
        for (double v : valNme) row.append(String.format(Locale.ROOT, ",%.6f", v));
        row.append(String.format(Locale.ROOT, ",%.6f,%.3e,%.1f%n", errMae, lr, secs));
        Files.writeString(file, row, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
