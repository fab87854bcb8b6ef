package dev.lightmark.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * SHA-256 checks of model files, so a damaged file is refused on load instead of giving wrong
 * points. A {@code .lmk} file (and every checkpoint) carries its checksum inside, as its last
 * section ({@link SectionFile}); an {@code .onnx} file has a manifest beside it, {@code NAME.onnx.sha256},
 * in the format of {@code sha256sum} (so {@code sha256sum -c NAME.onnx.sha256} checks it too).
 * Files from before checksums existed load with a warning.
 */
public final class ModelChecksums {
    /** Suffix of the manifest beside a file. */
    public static final String SUFFIX = ".sha256";
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    private static volatile Consumer<String> warnings = line -> System.err.println(line);

    private ModelChecksums() {}

    public static byte[] sha256(byte[] bytes, int from, int to) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(bytes, from, to - from);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this Java runtime", e);
        }
    }

    public static String sha256Hex(byte[] bytes) { return HexFormat.of().formatHex(sha256(bytes, 0, bytes.length)); }

    /** The manifest of {@code file}: the same path with {@value #SUFFIX} appended. */
    public static Path manifest(Path file) { return file.resolveSibling(file.getFileName() + SUFFIX); }

    /** The manifest's line for these bytes: {@code HEX  NAME} and a newline, as sha256sum writes it. */
    public static String manifestLine(byte[] bytes, String fileName) { return sha256Hex(bytes) + "  " + fileName + "\n"; }

    /** Writes {@code file}'s manifest for {@code bytes} (atomically: a temporary file, then a rename). */
    public static void writeManifest(Path file, byte[] bytes) throws IOException {
        Path m = manifest(file.toAbsolutePath());
        Path tmp = m.resolveSibling(m.getFileName() + ".tmp");
        Files.writeString(tmp, manifestLine(bytes, file.getFileName().toString()), StandardCharsets.US_ASCII);
        Files.move(tmp, m, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads a model file and checks it against its manifest; without a manifest it warns (once
     * per file) and returns the bytes unverified.
     *
     * @throws IOException naming the file when the bytes do not match the manifest or the manifest is unreadable
     */
    public static byte[] readVerified(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Path m = manifest(file);
        if (Files.isRegularFile(m)) verify(bytes, file.toString(), Files.readString(m, StandardCharsets.US_ASCII));
        else warnUnverified(file.toString(), "has no checksum manifest " + m.getFileName());
        return bytes;
    }

    /**
     * Checks {@code bytes} against a manifest's text.
     *
     * @throws IOException naming {@code name} when they differ or the text is not a SHA-256 line
     */
    public static void verify(byte[] bytes, String name, String manifestText) throws IOException {
        String text = manifestText.strip();
        String expected = text.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        if (!expected.matches("[0-9a-f]{64}"))
            throw new IOException(name + ": its checksum manifest" + SUFFIX + " does not start with a SHA-256 (64 hex digits)");
        String actual = sha256Hex(bytes);
        if (!actual.equals(expected))
            throw new IOException(name + ": checksum mismatch, the file is damaged or was changed (SHA-256 " + actual
                    + ", manifest says " + expected + ")");
    }

    /** Warns once per file name that it is loaded without a check. */
    public static void warnUnverified(String name, String why) {
        if (WARNED.add(name)) warnings.accept("warning: " + name + " " + why + "; loading it unverified");
    }

    /** Where warnings go (stderr by default); tests capture them. Returns the previous sink. */
    public static Consumer<String> setWarnings(Consumer<String> sink) {
        Consumer<String> old = warnings;
        warnings = sink;
        WARNED.clear();
        return old;
    }
}
