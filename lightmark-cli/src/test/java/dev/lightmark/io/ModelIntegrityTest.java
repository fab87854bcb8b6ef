package dev.lightmark.io;

import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.serve.ModelRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Hole 4 of issue 14 (and the file name in a damaged .lmk's error): every model file carries a
 * SHA-256, checked on load; a damaged file is refused with an error naming it.
 */
class ModelIntegrityTest {
    @TempDir Path dir;
    private final List<String> warnings = new ArrayList<>();
    private final Consumer<String> oldSink = ModelChecksums.setWarnings(warnings::add);

    @AfterEach
    void restore() { ModelChecksums.setWarnings(oldSink); }

    /** The bundled file and its manifest, copied under {@code name}. */
    private Path bundledCopy(String resource, String name, boolean withManifest) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, BundledResources.read(resource));
        if (withManifest) ModelChecksums.writeManifest(f, Files.readAllBytes(f));
        return f;
    }

    /** Flips {@code n} bytes of the file's second half (the weights), as the test did. */
    private static void flipBytes(Path f, int n, long seed) throws IOException {
        byte[] b = Files.readAllBytes(f);
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            int at = b.length / 2 + r.nextInt(b.length / 2 - 64);
            b[at] ^= (byte) (1 + r.nextInt(255));
        }
        Files.write(f, b);
    }

    @Test
    void theBundledModelsAreVerified() throws Exception {
        try (LandmarkPredictor p = LandmarkPredictor.load(null, 1)) {
            assertEquals(68, p.spec().points);
        }
        assertEquals(List.of(), warnings, "every bundled model has its checksum");
        assertEquals(ModelChecksums.sha256Hex(BundledResources.read(LandmarkPredictor.BUNDLED)),
                new String(LandmarkPredictor.class.getResourceAsStream(LandmarkPredictor.BUNDLED + ".sha256").readAllBytes()).split(" ")[0]);
    }

    @Test
    void anOnnxModelWithFlippedBytesIsRefusedNamingTheFile() throws Exception {
        Path onnx = bundledCopy(LandmarkPredictor.BUNDLED, "damaged.onnx", true);
        flipBytes(onnx, 50, 14);
        IOException e = assertThrows(IOException.class, () -> LandmarkPredictor.load(onnx, 1).close());
        assertTrue(e.getMessage().startsWith(onnx.toString()) && e.getMessage().contains("checksum mismatch"), e.getMessage());
        // The service refuses to start with it rather than serving its points.
        IOException served = assertThrows(IOException.class, () -> ModelRegistry.load(Map.of("damaged", onnx), null, 1, 0.5f).close());
        assertTrue(served.getMessage().contains("damaged.onnx"), served.getMessage());
    }

    @Test
    void anOnnxModelWithoutManifestLoadsWithOneWarning() throws Exception {
        Path onnx = bundledCopy(LandmarkPredictor.BUNDLED, "old.onnx", false);
        LandmarkPredictor.load(onnx, 1).close();
        LandmarkPredictor.load(onnx, 1).close();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("warning: " + onnx) && warnings.get(0).contains("unverified"), warnings.get(0));
    }

    @Test
    void aBadManifestIsAnErrorNamingTheFile() throws Exception {
        Path onnx = bundledCopy(LandmarkPredictor.BUNDLED, "m.onnx", false);
        Files.writeString(ModelChecksums.manifest(onnx), "not a checksum\n");
        IOException e = assertThrows(IOException.class, () -> LandmarkPredictor.load(onnx, 1).close());
        assertTrue(e.getMessage().startsWith(onnx.toString()), e.getMessage());
    }

    @Test
    void lmkFilesCarryTheirChecksumInside() throws Exception {
        Path lmk = bundledCopy(dev.lightmark.model.DjlNetwork.BUNDLED_LMK, "model.lmk", false);
        assertEquals(List.of("spec", "weights"), List.copyOf(SectionFile.read(lmk).keySet()), "checksum section checked and hidden");
        assertEquals(List.of(), warnings);
        flipBytes(lmk, 50, 14);
        IOException e = assertThrows(IOException.class, () -> SectionFile.read(lmk));
        assertTrue(e.getMessage().startsWith(lmk.toString()) && e.getMessage().contains("checksum mismatch"), e.getMessage());
        IOException viaPredictor = assertThrows(IOException.class, () -> LandmarkPredictor.load(lmk, 1).close());
        assertTrue(viaPredictor.getMessage().startsWith(lmk.toString()), viaPredictor.getMessage());
    }

    @Test
    void sectionFilesRoundTripAndOldOnesLoadWithAWarning() throws Exception {
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put("a", new byte[]{1, 2, 3});
        s.put("b", new byte[0]);
        Path f = dir.resolve("x.lmk");
        SectionFile.write(f, s);
        Map<String, byte[]> back = SectionFile.read(f);
        assertArrayEquals(new byte[]{1, 2, 3}, back.get("a"));
        assertEquals(2, back.size());
        assertThrows(IllegalArgumentException.class, () -> SectionFile.write(f, Map.of(SectionFile.CHECKSUM, new byte[1])));

        Path old = dir.resolve("old.lmk");   // as written before checksums: no sha256 section
        Files.write(old, oldFormat("a", new byte[]{1, 2, 3}));
        assertArrayEquals(new byte[]{1, 2, 3}, SectionFile.read(old).get("a"));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains(old.toString()) && warnings.get(0).contains("no checksum"), warnings.get(0));
    }

    @Test
    void aDamagedSectionNameIsAnErrorNamingTheFile() throws Exception {
        byte[] b = oldFormat("spec", new byte[]{1, 2, 3});
        b[14] = (byte) 0xC0;   // inside the name "spec": not valid modified UTF-8 ("malformed input around byte 2")
        Path f = dir.resolve("broken.lmk");
        Files.write(f, b);
        IOException e = assertThrows(IOException.class, () -> SectionFile.read(f));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        IOException viaPredictor = assertThrows(IOException.class, () -> LandmarkPredictor.load(f, 1).close());
        assertTrue(viaPredictor.getMessage().startsWith(f + ": "), viaPredictor.getMessage());
    }

    private static byte[] oldFormat(String key, byte[] value) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bos)) {
            out.writeInt(0x4C4D524B);
            out.writeInt(1);
            out.writeInt(1);
            out.writeUTF(key);
            out.writeInt(value.length);
            out.write(value);
        }
        return bos.toByteArray();
    }
}
