package dev.lightmark.io;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A file of named byte sections, used for model files and checkpoints. Writes go to a
 * temporary file that is synced and then atomically renamed, so a kill mid-write leaves the
 * previous file intact.
 */
public final class SectionFile {
    private static final int MAGIC = 0x4C4D524B; // "LMRK"
    private static final int VERSION = 1;

    private SectionFile() {}

    public static void write(Path file, Map<String, byte[]> sections) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(tmp))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(sections.size());
            for (Map.Entry<String, byte[]> e : sections.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().length);
                out.write(e.getValue());
            }
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

    public static Map<String, byte[]> read(InputStream raw, String name) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        try {
            if (in.readInt() != MAGIC) throw new IOException(name + ": not a Lightmark model or checkpoint file");
            int version = in.readInt();
            if (version != VERSION) throw new IOException(name + ": unsupported file version " + version);
            int n = in.readInt();
            Map<String, byte[]> out = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String key = in.readUTF();
                int len = in.readInt();
                if (len < 0 || len > (1 << 30)) throw new IOException(name + ": corrupt section length " + len);
                byte[] b = new byte[len];
                in.readFully(b);
                out.put(key, b);
            }
            return out;
        } catch (EOFException e) {
            throw new IOException(name + ": truncated file", e);
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
