package dev.lightmark.train;

import dev.lightmark.infer.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ModelSoupTest {
    @TempDir Path dir;

    private Path model(String name, float width) throws Exception { return RandomModelFiles.pfld(dir, name, width); }

    @Test
    void theSoupIsTheWeightedMeanOfEveryParameter() throws Exception {
        Path a = model("a", 0.25f), b = model("b", 0.25f), soup = dir.resolve("soup.lmk");
        ModelSpec spec = ModelSoup.mix(List.of(a, b), new double[]{3, 1}, soup);
        String dirName = dir.toAbsolutePath().normalize().getFileName().toString();
        assertTrue(spec.trainedOn.contains("0.750 x " + dirName + "/a.lmk") && spec.trainedOn.contains("0.250 x " + dirName + "/b.lmk"), spec.trainedOn);
        float[][] wa = RandomModelFiles.parameters(a), wb = RandomModelFiles.parameters(b), ws = RandomModelFiles.parameters(soup);
        assertEquals(wa.length, ws.length);
        int differing = 0;
        for (int i = 0; i < ws.length; i++)
            for (int j = 0; j < ws[i].length; j++) {
                assertEquals(0.75f * wa[i][j] + 0.25f * wb[i][j], ws[i][j], 1e-5f, "parameter " + i + "[" + j + "]");
                if (wa[i][j] != wb[i][j]) differing++;
            }
        assertTrue(differing > 1000, "the two random models should differ, " + differing + " values do");
    }

    @Test
    void modelsOfAnotherNetworkOrBadWeightsAreRefusedByName() throws Exception {
        Path a = model("a", 0.25f), wide = model("wide", 0.5f), out = dir.resolve("soup.lmk");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSoup.mix(List.of(a, wide), null, out));
        assertTrue(e.getMessage().contains("wide.lmk") && e.getMessage().contains("not the same network"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelSoup.mix(List.of(a), null, out))
                .getMessage().contains("at least two"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelSoup.mix(List.of(a, a), new double[]{1, -1}, out))
                .getMessage().contains(">= 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelSoup.mix(List.of(a, a), new double[]{1}, out))
                .getMessage().contains("1 weights for 2 models"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelSoup.mix(List.of(a, dir.resolve("none.lmk")), null, out))
                .getMessage().contains("none.lmk"));
        assertFalse(Files.exists(out), "nothing is written when the soup is refused");
    }
}
