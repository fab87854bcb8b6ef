package dev.lightmark.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Reads one request body into memory within the service's limits: at most {@code maxBytes}
 * (413 as soon as it is passed), at least {@code minBytesPerSecond} on average once
 * {@code graceMs} have passed, and complete within {@code deadlineMs} (both 408). Reading is in two
 * steps so that a body sent at full speed costs no upload slot: {@link #takeAvailable} copies what
 * arrives without blocking for as long as bytes keep coming (no pause over {@link #QUIET_MS}, and at
 * the minimum rate), and only a body that falls behind needs {@link #readRest}, which blocks and
 * checks the rate and the deadline after every read. A read that gets no byte at all
 * is bounded by the connection's idle timeout, which the service sets to {@code graceMs} meanwhile.
 */
final class BodyReader {
    /** The limits of one body. */
    record Limits(long maxBytes, long minBytesPerSecond, long graceMs, long deadlineMs) {
        Limits {
            if (maxBytes < 1 || minBytesPerSecond < 0 || graceMs < 0 || deadlineMs < 1) throw new IllegalArgumentException("bad body limits");
        }
    }

    private final long declared;
    private final Limits limits;
    private final LongSupplier nanoClock;
    private final long start;
    private byte[] fixed;              // exact-size buffer when the length is declared
    private ByteArrayOutputStream grow; // otherwise
    private long total;
    private boolean finished;

    /** {@code declared}: the Content-Length, or -1 when unknown (chunked). */
    BodyReader(long declared, Limits limits, LongSupplier nanoClock) {
        if (declared > limits.maxBytes()) throw tooLarge(declared + " bytes", limits.maxBytes());
        this.declared = declared;
        this.limits = limits;
        this.nanoClock = nanoClock;
        this.start = nanoClock.getAsLong();
        if (declared >= 0) fixed = new byte[(int) declared];
        else grow = new ByteArrayOutputStream(8192);
        if (declared == 0) finished = true;
    }

    /** True once the whole body is in (its declared length, or the end of a chunked body). */
    boolean finished() { return finished; }

    long bytesRead() { return total; }

    /** A body whose bytes pause longer than this in the first step needs an upload slot. */
    static final long QUIET_MS = 50;

    /**
     * Takes the body at once when the whole of it (a declared length) is already readable without
     * blocking, and returns true; otherwise reads nothing and returns false. Such a body cannot
     * stall, so it needs neither a place among the bodies read without a slot nor a slot.
     */
    boolean takeIfComplete(InputStream in) throws IOException {
        if (finished) return true;
        if (declared < 0 || in.available() < declared - total) return false;
        while (!finished) {
            int avail = in.available();
            if (avail <= 0 || !readOnce(in, avail)) break;
        }
        return finished;
    }

    /**
     * Copies what arrives, never blocking on a read, while bytes keep coming (pauses up to
     * {@link #QUIET_MS}, and at least the minimum rate after that long) and for at most the grace
     * time; returns {@link #finished()}. {@code atEnd} tells a chunked body's end (no length to count to).
     */
    boolean takeAvailable(InputStream in, BooleanSupplier atEnd) throws IOException {
        long t0 = nanoClock.getAsLong(), last = t0;
        while (!finished) {
            int avail = in.available();
            boolean got = false;
            if (avail > 0) {
                if (!readOnce(in, avail)) break;
                last = nanoClock.getAsLong();
                got = true;
            } else if (declared < 0 && atEnd.getAsBoolean()) {
                finished = true;
                break;
            }
            long now = nanoClock.getAsLong(), ms = (now - t0) / 1_000_000;
            if (finished || now - last > QUIET_MS * 1_000_000L || ms > limits.graceMs()) break;
            if (ms > QUIET_MS && total * 1000 < limits.minBytesPerSecond() * ms) break;   // a trickle: it needs a slot
            if (got) continue;
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return finished;
    }

    /**
     * Reads the rest, blocking, checking the limits after each read; {@code stop} returning true
     * (the server is stopping past its drain time) ends it with 503.
     */
    void readRest(InputStream in, BooleanSupplier stop) throws IOException {
        while (!finished) {
            if (!readOnce(in, 64 * 1024)) break;
            if (stop.getAsBoolean())
                throw new ApiException(503, "server is shutting down", Map.of("Retry-After", "1", "Connection", "close"));
            checkPace();
        }
    }

    /** 408 when the body is past its deadline or, after the grace time, slower than the minimum rate. */
    void checkPace() {
        long ms = (nanoClock.getAsLong() - start) / 1_000_000;
        if (ms > limits.deadlineMs())
            throw new ApiException(408, "request body not complete after " + limits.deadlineMs() / 1000.0 + " s (" + total
                    + " bytes received; --body-timeout-seconds)", Map.of("Connection", "close"));
        if (ms > limits.graceMs() && total * 1000 < limits.minBytesPerSecond() * ms)
            throw new ApiException(408, "request body too slow: " + total + " bytes in " + ms / 1000.0 + " s, under the minimum of "
                    + limits.minBytesPerSecond() + " bytes/s (--min-body-rate)", Map.of("Connection", "close"));
    }

    /** One read of at most {@code want} bytes; false at the end of the stream. */
    private boolean readOnce(InputStream in, int want) throws IOException {
        if (fixed != null) {
            int n = in.read(fixed, (int) total, (int) Math.min(want, declared - total));
            if (n < 0) throw new ApiException(400, "request body ended after " + total + " of " + declared + " bytes");
            total += n;
            if (total == declared) finished = true;
            return true;
        }
        byte[] chunk = new byte[Math.max(1, Math.min(want, 64 * 1024))];
        int n = in.read(chunk);
        if (n < 0) {
            finished = true;
            return false;
        }
        total += n;
        if (total > limits.maxBytes()) throw tooLarge(null, limits.maxBytes());
        grow.write(chunk, 0, n);
        return true;
    }

    /** The body; only after {@link #finished()}. */
    byte[] bytes() {
        if (!finished) throw new IllegalStateException("body not complete");
        return fixed != null ? (fixed.length == total ? fixed : Arrays.copyOf(fixed, (int) total)) : grow.toByteArray();
    }

    /** {@code size} is null when the body was cut off at the limit, so its full size is unknown. */
    static ApiException tooLarge(String size, long maxBytes) {
        return new ApiException(413, "request body is " + (size == null ? "" : size + ", ")
                + "over the " + maxBytes + "-byte limit (--max-body-bytes)", Map.of("Connection", "close"));
    }
}
