package dev.lightmark.infer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BundledModelsTest {
    @Test
    void namesLoadTheBundledModelsAndAnUnknownNameListsThem() throws Exception {
        for (String name : BundledModels.all().keySet())
            try (LandmarkPredictor p = LandmarkPredictor.load(Path.of(name), 1)) {
                assertEquals(68, p.spec().points, name);
                assertEquals("onnxruntime", p.runtime(), name);
                assertEquals(name.equals("accurate") ? "hourglass" : "pfld", p.spec().architecture, name);
            }
        IOException e = assertThrows(IOException.class, () -> LandmarkPredictor.load(Path.of("no-such-model"), 1));
        assertTrue(e.getMessage().contains("bundled models: default, fast, accurate"), e.getMessage());
        assertTrue(BundledModels.named(Path.of("dir", "fast")).isEmpty(), "a path is never taken for a name");
    }
}
