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
                boolean pfld = name.equals("fast");
                assertEquals(pfld ? "pfld" : name.equals("accurate") ? "ensemble" : "hourglass", p.spec().architecture, name);
                assertEquals(pfld ? 112 : name.equals("balanced") ? 96 : 128, p.spec().inputSize, name);
                // The flip test is on by default where it pays for its second pass and the model is not bound
                // to dlib's time (PFLD, the accurate ensemble).
                assertEquals(pfld || name.equals("accurate"), p.flipByDefault(), name);
                assertEquals(p.flipByDefault(), p.flipTest(), name);
            }
        try (LandmarkPredictor p = LandmarkPredictor.load(null, 1)) {
            assertEquals(128, p.spec().inputSize, "no model named: the bundled default");
            assertEquals("hourglass", p.spec().architecture, "no model named: the bundled default");
        }
        IOException e = assertThrows(IOException.class, () -> LandmarkPredictor.load(Path.of("no-such-model"), 1));
        assertTrue(e.getMessage().contains("bundled models: default, fast, balanced, accurate, video"), e.getMessage());
        assertTrue(BundledModels.named(Path.of("dir", "fast")).isEmpty(), "a path is never taken for a name");
    }
}
