package dev.lightmark.io;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A file of named byte sections, used for model files and checkpoints. Writes go to a
 * temporary file that is synced and then atomically renamed, so a kill mid-write leaves the
 * previous file intact. The last section, {@value #CHECKSUM}, holds the SHA-256 of every byte
 * before it; reading checks it, so a damaged file is refused with its name. Files written before
 * that section existed are read with a warning.
 */
public final class SectionFile {
    private static final int MAGIC = 0x4C4D524B; // "LMRK"
    private static final int VERSION = 1;
    /** Name of the checksum section (reserved). */
    public static final String CHECKSUM = "sha256";

    private SectionFile() {}

    public static void write(Path file, Map<String, byte[]> sections) throws IOException {
        if (sections.containsKey(CHECKSUM)) throw new IllegalArgumentException("section name '" + CHECKSUM + "' is reserved");
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this Java runtime", e);
        }
        try (OutputStream file0 = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
             DataOutputStream out = new DataOutputStream(new DigestOutputStream(file0, md))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(sections.size() + 1);
            for (Map.Entry<String, byte[]> e : sections.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().length);
                out.write(e.getValue());
            }
            out.flush();
            byte[] sum = md.digest();   // of everything above
            out.writeUTF(CHECKSUM);
            out.writeInt(sum.length);
            out.write(sum);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static Map<String, byte[]> read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * The sections of a file (without the checksum section), after checking its checksum. Every
     * problem is an {@link IOException} whose message starts with {@code name}.
     */
    public static Map<String, byte[]> read(InputStream raw, String name) throws IOException {
        byte[] all = raw.readAllBytes();
        ByteArrayInputStream bytes = new ByteArrayInputStream(all);
        DataInputStream in = new DataInputStream(bytes);
        try {
            if (all.length < 4 || in.readInt() != MAGIC) throw new IOException(name + ": not a Lightmark model or checkpoint file");
            int version = in.readInt();
            if (version != VERSION) throw new IOException(name + ": unsupported file version " + version);
            int n = in.readInt();
            if (n < 0 || n > 100_000) throw new IOException(name + ": corrupt section count " + n);
            Map<String, byte[]> out = new LinkedHashMap<>();
            boolean checked = false;
            for (int i = 0; i < n; i++) {
                int start = all.length - bytes.available();
                String key = in.readUTF();
                int len = in.readInt();
                if (len < 0 || len > (1 << 30)) throw new IOException(name + ": corrupt section length " + len);
                if (len > bytes.available()) throw new EOFException();
                byte[] b = new byte[len];
                in.readFully(b);
                if (key.equals(CHECKSUM)) {
                    if (i != n - 1) throw new IOException(name + ": corrupt file (checksum section is not the last)");
                    if (!MessageDigest.isEqual(b, ModelChecksums.sha256(all, 0, start)))
                        throw new IOException(name + ": checksum mismatch, the file is damaged or was changed");
                    if (bytes.available() != 0) throw new IOException(name + ": " + bytes.available() + " unexpected bytes after the end");
                    checked = true;
                } else {
                    out.put(key, b);
                }
            }
            if (!checked) ModelChecksums.warnUnverified(name, "has no checksum (written before Lightmark checked its files)");
            return out;
        } catch (EOFException e) {
            throw new IOException(name + ": truncated file", e);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(name + ": ")) throw e;
            throw new IOException(name + ": corrupt file (" + e.getMessage() + ")", e);   // e.g. a damaged section name
        }
    }

    public static byte[] bytes(IoWriter w) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bos)) {
            w.write(out);
        }
        return bos.toByteArray();
    }

    /** Writes into a stream. */
    public interface IoWriter {
        void write(DataOutputStream out) throws IOException;
    }
}
