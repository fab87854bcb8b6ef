package dev.lightmark.batch;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A JSONL results file that a batch run appends to and a later run resumes from.
 *
 * <p>Opening it repairs what an interruption can leave: a last line without its line break (the
 * process was killed mid-write) is cut off, so that image is simply done again. Complete lines
 * that are not a JSON object with an {@code "image"} field are dropped with a warning. Each record
 * is written with one unbuffered write of the whole line, so after {@link #append} returns the
 * line is in the file even if the process is killed next. The file is locked while open, so two
 * runs cannot append to it at once.
 */
public final class ResultsFile implements LineSink, AutoCloseable {
    /** What opening found and repaired. */
    public record Recovery(int records, int errorRecords, long partialBytesDropped, int badLines, int removed) {}

    private final Path file;
    private FileChannel channel;
    private FileLock lock;
    /** Key of each recorded image (see {@link #key}) to whether its record is an error. */
    private final Map<String, Boolean> recorded = new HashMap<>();
    private Recovery recovery;

    private ResultsFile(Path file) { this.file = file; }

    /**
     * Opens (or creates) {@code file}, repairs it, and removes the records that {@code remove}
     * selects (for instance error records that are to be retried), rewriting the file atomically.
     */
    public static ResultsFile open(Path file, Predicate<JsonNode> remove) throws IOException {
        ResultsFile r = new ResultsFile(file);
        try {
            r.openAndRepair(remove);
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
        return r;
    }

    /** The path key used to match records with images: absolute and normalised. */
    public static String key(String image) {
        try {
            return Path.of(image).toAbsolutePath().normalize().toString();
        } catch (InvalidPathException e) {
            return image;
        }
    }

    public static String key(Path image) { return image.toAbsolutePath().normalize().toString(); }

    /** Whether the file holds a record for this image; error records count only if {@code countErrors}. */
    public boolean has(Path image, boolean countErrors) {
        Boolean err = recorded.get(key(image));
        return err != null && (countErrors || !err);
    }

    public Recovery recovery() { return recovery; }

    public Path path() { return file; }

    private void openAndRepair(Predicate<JsonNode> remove) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        channel = lockedChannel(file);
        long size = channel.size();
        long keep = endOfLastLine(channel, size);
        long partial = size - keep;
        if (partial > 0) channel.truncate(keep);

        int records = 0, errors = 0, bad = 0;
        Set<Long> drop = new HashSet<>();
        channel.position(0);
        BufferedReader in = reader(channel);
        String line;
        long n = 0;
        while ((line = in.readLine()) != null) {
            JsonNode node = parse(line);
            if (node == null) {
                bad++;
                drop.add(n);
            } else if (remove != null && remove.test(node)) {
                drop.add(n);
            } else {
                boolean isError = node.has("error");
                recorded.put(key(node.get("image").asText()), isError);
                records++;
                if (isError) errors++;
            }
            n++;
        }
        int removed = drop.size() - bad;
        if (!drop.isEmpty()) rewriteWithout(drop);
        channel.position(channel.size());
        recovery = new Recovery(records, errors, partial, bad, removed);
    }

    private static JsonNode parse(String line) {
        if (line.isBlank()) return null;
        try {
            JsonNode node = ResultJson.MAPPER.readTree(line);
            return node != null && node.isObject() && node.path("image").isTextual() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Copies the kept lines to a temporary file and moves it over the results file. */
    private void rewriteWithout(Set<Long> drop) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        channel.position(0);
        BufferedReader in = reader(channel);
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            String line;
            long n = 0;
            while ((line = in.readLine()) != null) {
                if (!drop.contains(n++)) {
                    out.write(line);
                    out.write('\n');
                }
            }
        }
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        // Lock the new file before letting go of the old one.
        FileChannel old = channel;
        FileLock oldLock = lock;
        channel = lockedChannel(file);
        oldLock.release();
        old.close();
    }

    private FileChannel lockedChannel(Path f) throws IOException {
        FileChannel c = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = c.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            c.close();
            throw new IOException(f + ": in use by another detect run");
        }
        lock = l;
        return c;
    }

    /** A reader over the channel from its position; not to be closed (that would close the channel). */
    private static BufferedReader reader(FileChannel c) {
        InputStream s = Channels.newInputStream(c);
        return new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8), 1 << 16);
    }

    /** Length of the file up to and including its last line break (0 if it has none). */
    private static long endOfLastLine(FileChannel c, long size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        long end = size;
        while (end > 0) {
            long start = Math.max(0, end - buf.capacity());
            buf.clear().limit((int) (end - start));
            while (buf.hasRemaining()) {
                if (c.read(buf, start + buf.position()) < 0) throw new IOException(c + ": file shrank while reading");
            }
            for (int i = (int) (end - start) - 1; i >= 0; i--)
                if (buf.get(i) == '\n') return start + i + 1;
            end = start;
        }
        return 0;
    }

    /** Appends one record line and its line break with a single unbuffered write. */
    @Override
    public void append(String jsonLine) throws IOException {
        if (jsonLine.indexOf('\n') >= 0) throw new IllegalArgumentException("record spans lines");
        ByteBuffer b = ByteBuffer.wrap((jsonLine + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) channel.write(b);
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            try {
                if (lock != null && lock.isValid()) lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
