package dev.lightmark.heatmap;

import dev.lightmark.augment.CropPolicy;
import dev.lightmark.data.FaceSample;
import dev.lightmark.data.PtsFolder;
import dev.lightmark.eval.Nme;
import dev.lightmark.eval.Normalizer;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.testdata.SyntheticFaces;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class GaussianHeatmapsTest {
    private static final CropPolicy CROP_256 = new CropPolicy(256, 1.25f);
    private static final CropPolicy CROP_128 = new CropPolicy(128, 1.25f);

    @Test
    void offsetEncodingPeaksAtOneAndIsWeightedByTheOffset() {
        GaussianHeatmaps g = new GaussianHeatmaps(16, 1.5f, HeatmapEncoding.OFFSET);
        float[] m = g.encode(new float[]{5.8f, 7.5f});
        assertEquals(1f, m[7 * 16 + 5], 1e-6f, "the pixel holding the point is 1");
        for (float v : m) assertTrue(v <= 1f);
        // x = 5.8 lies right of the centre 5.5, so the right neighbour is brighter than the left one.
        assertTrue(m[7 * 16 + 6] > m[7 * 16 + 4]);
        // y = 7.5 is exactly a pixel centre: rows above and below are equal.
        assertEquals(m[6 * 16 + 5], m[8 * 16 + 5], 1e-6f);
        // Hand value: right neighbour = exp(-(0.7^2 - 0.3^2) / (2 * 1.5^2)).
        assertEquals((float) Math.exp(-(0.49 - 0.09) / 4.5), m[7 * 16 + 6], 1e-6f);

        float[] r = new GaussianHeatmaps(16, 1.5f, HeatmapEncoding.ROUNDED).encode(new float[]{5.8f, 7.5f});
        assertEquals(r[7 * 16 + 4], r[7 * 16 + 6], 1e-6f, "the rounded Gaussian forgets the offset");
    }

    @Test
    void decodingFindsSubPixelPeaks() {
        GaussianHeatmaps g = new GaussianHeatmaps(64, 1.5f, HeatmapEncoding.OFFSET);
        Random r = new Random(5);
        for (int i = 0; i < 400; i++) {
            float x = 1 + 62 * r.nextFloat(), y = 1 + 62 * r.nextFloat();
            float[] d = g.decode(g.encode(new float[]{x, y}), 0, 1);
            // Within 8 px of the edge the smoothing kernel is cut, which leaves the smoothed peak
            // symmetric but not exactly Gaussian: the Newton step then misses by a few thousandths.
            boolean inner = Math.min(Math.min(x, y), Math.min(64 - x, 64 - y)) > 8;
            float tolerance = inner ? 1e-3f : 5e-3f;
            assertEquals(x, d[0], tolerance);
            assertEquals(y, d[1], tolerance);
        }
    }

    @Test
    void decodingToleratesNoiseAndNegativeValues() {
        GaussianHeatmaps g = new GaussianHeatmaps(32, 1.5f, HeatmapEncoding.OFFSET);
        Random r = new Random(6);
        double err = 0;
        for (int i = 0; i < 100; i++) {
            float x = 4 + 24 * r.nextFloat(), y = 4 + 24 * r.nextFloat();
            float[] m = g.encode(new float[]{x, y});
            for (int j = 0; j < m.length; j++) m[j] += 0.05f * (float) r.nextGaussian();
            float[] d = g.decode(m, 0, 1);
            err += Math.hypot(d[0] - x, d[1] - y);
        }
        assertTrue(err / 100 < 0.25, "mean error " + err / 100 + " heatmap px");
    }

    @Test
    void peaksNearTheBorderAreSmoothedLikeThoseInTheMiddle() {
        // Jaw and brow points often lie 2-7 px from a 32 px map's edge, where the full 4-sigma
        // smoothing window does not fit; there the kernel is cut symmetrically instead of skipped.
        GaussianHeatmaps g = new GaussianHeatmaps(32, 1.5f, HeatmapEncoding.OFFSET);
        Random r = new Random(8);
        double middle = 0, border = 0;
        int n = 400;
        for (int i = 0; i < n; i++) {
            float y = 10 + 12 * r.nextFloat();
            float xm = 12 + 8 * r.nextFloat(), xb = 2 + 4 * r.nextFloat();
            middle += noisyDecodeError(g, xm, y, r);
            border += noisyDecodeError(g, xb, y, r);
        }
        middle /= n;
        border /= n;
        System.out.printf(Locale.ROOT, "noisy peaks: mean error %.3f px in the middle, %.3f px 2-6 px from the edge%n", middle, border);
        assertTrue(border < 1.2 * middle, "border " + border + " vs middle " + middle);
    }

    private static double noisyDecodeError(GaussianHeatmaps g, float x, float y, Random r) {
        float[] m = g.encode(new float[]{x, y});
        for (int j = 0; j < m.length; j++) m[j] += 0.1f * (float) r.nextGaussian();
        float[] d = g.decode(m, 0, 1);
        return Math.hypot(d[0] - x, d[1] - y);
    }

    @Test
    void encodeDecodeOfSyntheticFacesLosesUnderATenthOfAPercent() {
        float[] t = SyntheticFaces.template();
        Random r = new Random(7);
        List<Landmarks> faces = new ArrayList<>();
        for (int n = 0; n < 200; n++) {
            double scale = 150 + 100 * r.nextDouble(), ang = Math.toRadians(r.nextGaussian() * 15);
            double cx = 200 + 20 * r.nextGaussian(), cy = 200 + 20 * r.nextGaussian();
            float[] xy = new float[136];
            for (int i = 0; i < 68; i++) {
                double x = (t[2 * i] - 0.5) * scale, y = (t[2 * i + 1] - 0.5) * scale;
                xy[2 * i] = (float) (cx + x * Math.cos(ang) - y * Math.sin(ang));
                xy[2 * i + 1] = (float) (cy + x * Math.sin(ang) + y * Math.cos(ang));
            }
            faces.add(new Landmarks(xy));
        }
        check("synthetic", faces);
    }

    @Test
    void encodeDecodeOf300wTrainGroundTruthLosesUnderATenthOfAPercent() {
        Path train = Path.of("../shared/data/300w/train");
        assumeTrue(Files.isDirectory(train), "300-W train data not found at " + train + "; skipping");
        List<Landmarks> faces = PtsFolder.load(train, 68).samples().stream().map(FaceSample::landmarks).toList();
        assertTrue(faces.size() > 2000);
        check("300-W train", faces);
    }

    /** Round trip at 256 -> 64x64 and 128 -> 32x32; the offset form must beat 0.1 % NME, the rounded one must not. */
    private static void check(String label, List<Landmarks> faces) {
        for (CropPolicy crop : new CropPolicy[]{CROP_256, CROP_128}) {
            int hm = crop.inputSize() / 4;
            double offset = roundTripNme(faces, crop, new GaussianHeatmaps(hm, 1.5f, HeatmapEncoding.OFFSET));
            double rounded = roundTripNme(faces, crop, new GaussianHeatmaps(hm, 1.5f, HeatmapEncoding.ROUNDED));
            System.out.printf(Locale.ROOT, "%s, %d faces, input %d, heatmaps %dx%d: encode+decode NME offset %.1e %%, rounded %.3f %%%n",
                    label, faces.size(), crop.inputSize(), hm, hm, 100 * offset, 100 * rounded);
            assertTrue(offset < 0.001, label + " offset NME " + offset);
            assertTrue(rounded > 5 * offset && rounded > 0.003, label + " rounded NME " + rounded + " vs offset " + offset);
        }
    }

    /** Mean inter-ocular NME of (encode, decode) of each face's crop-space ground truth. */
    static double roundTripNme(List<Landmarks> faces, CropPolicy crop, GaussianHeatmaps g) {
        float stride = (float) crop.inputSize() / g.size();
        double sum = 0;
        float[] maps = new float[68 * g.size() * g.size()];
        for (Landmarks lm : faces) {
            Landmarks inCrop = lm.transform(crop.toCrop(lm.bounds(), 0f));
            float[] xy = inCrop.toArray();
            for (int i = 0; i < xy.length; i++) xy[i] /= stride;
            java.util.Arrays.fill(maps, 0f);
            g.encode(xy, maps, 0);
            float[] back = g.decode(maps, 0, inCrop.size());
            for (int i = 0; i < back.length; i++) back[i] *= stride;
            sum += Nme.of(new Landmarks(back), inCrop, Normalizer.INTER_OCULAR);
        }
        return sum / faces.size();
    }
}
