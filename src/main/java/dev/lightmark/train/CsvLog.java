package dev.lightmark.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The per-epoch training log. On resume, rows past the checkpoint's epoch (written after the
 * last checkpoint by a run that was then killed) are dropped so the log matches the weights.
 */
final class CsvLog {
    static final String HEADER = "epoch,train_loss,train_nme,val_nme,lr,seconds";
    private final Path file;

    CsvLog(Path file, int completedEpochs) throws IOException {
        this.file = file;
        List<String> keep = new ArrayList<>();
        keep.add(HEADER);
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("epoch")) continue;
                if (Integer.parseInt(line.split(",")[0]) <= completedEpochs) keep.add(line);
            }
        }
        Files.write(file, keep, StandardCharsets.UTF_8);
    }

    double firstLoss() throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return lines.size() > 1 ? Double.parseDouble(lines.get(1).split(",")[1]) : Double.NaN;
    }

    void append(int epoch, double loss, double nme, double valNme, float lr, double secs) throws IOException {
        Files.writeString(file, String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.3e,%.1f%n", epoch, loss, nme, valNme, lr, secs),
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    }
}
