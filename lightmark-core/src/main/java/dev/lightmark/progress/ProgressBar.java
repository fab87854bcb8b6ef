package dev.lightmark.progress;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line text progress bar with rate and ETA, written to stderr. On a terminal it redraws
 * in place; otherwise (logs, CI) it prints a line at most every few seconds.
 */
public final class ProgressBar implements AutoCloseable {
    private final String label;
    private final long total;
    private final String unit;
    private final PrintStream out;
    private final boolean interactive;
    private final long start = System.nanoTime();
    private long done;
    private long lastPrint;
    private String suffix = "";

    public ProgressBar(String label, long total, String unit) {
        this(label, total, unit, System.err, System.console() != null);
    }

    public ProgressBar(String label, long total, String unit, PrintStream out, boolean interactive) {
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.out = out;
        this.interactive = interactive;
    }

    /** Extra text after the bar, e.g. the running loss. */
    public synchronized void status(String s) { this.suffix = s; }

    public synchronized void step(long n) {
        done += n;
        long now = System.nanoTime();
        long gap = interactive ? 200_000_000L : 10_000_000_000L;
        if (now - lastPrint > gap || done >= total) {
            lastPrint = now;
            draw(false);
        }
    }

    private void draw(boolean last) {
        double sec = (System.nanoTime() - start) / 1e9;
        double rate = done / Math.max(sec, 1e-9);
        int width = 28;
        int fill = total > 0 ? (int) Math.min(width, width * done / total) : 0;
        String bar = "#".repeat(fill) + "-".repeat(width - fill);
        String eta = total > 0 && rate > 0 ? time((total - done) / rate) : "?";
        String line = String.format(Locale.ROOT, "%s [%s] %d/%d %s  %.1f %s/s  %s elapsed, %s left  %s",
                label, bar, done, total, unit, rate, unit, time(sec), eta, suffix);
        if (interactive) out.print("\r" + line + (last ? "\n" : ""));
        else out.println(line);
        out.flush();
    }

    private static String time(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format("%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
                : String.format("%d:%02d", t / 60, t % 60);
    }

    @Override
    public synchronized void close() {
        if (interactive) draw(true);
        else if (done < total) draw(true);
    }
}
