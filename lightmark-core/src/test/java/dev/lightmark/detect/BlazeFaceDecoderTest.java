package dev.lightmark.detect;

import dev.lightmark.geometry.Box;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Decoding, weighted NMS and letterboxing on synthetic inputs (no model needed). */
class BlazeFaceDecoderTest {
    private static final float EPS = 1e-5f;

    @Test void anchorsSitAtCellCentres() {
        assertEquals(896, BlazeFaceDecoder.ANCHOR_COUNT);
        assertEquals(1 / 32f, BlazeFaceDecoder.anchorX(0), EPS);
        assertEquals(1 / 32f, BlazeFaceDecoder.anchorY(0), EPS);
        assertEquals(1 / 32f, BlazeFaceDecoder.anchorX(1), EPS);   // second anchor of the same cell
        int i = BlazeFaceDecoder.anchorIndex(0, 2, 5, 1);          // row 2, col 5 of the 16x16 grid
        assertEquals(5.5f / 16, BlazeFaceDecoder.anchorX(i), EPS);
        assertEquals(2.5f / 16, BlazeFaceDecoder.anchorY(i), EPS);
        int last = BlazeFaceDecoder.anchorIndex(1, 7, 7, 5);
        assertEquals(895, last);
        assertEquals(7.5f / 8, BlazeFaceDecoder.anchorX(last), EPS);
        assertEquals(512, BlazeFaceDecoder.anchorIndex(1, 0, 0, 0));
        assertEquals(0.5f / 8, BlazeFaceDecoder.anchorY(512), EPS);
    }

    @Test void sigmoidIsClipped() {
        assertEquals(0.5f, BlazeFaceDecoder.sigmoid(0), EPS);
        assertEquals(1f, BlazeFaceDecoder.sigmoid(1e9f), EPS);
        assertEquals(0f, BlazeFaceDecoder.sigmoid(-1e9f), EPS);
        assertFalse(Float.isNaN(BlazeFaceDecoder.sigmoid(Float.NEGATIVE_INFINITY)));
    }

    @Test void decodesOffsetsRelativeToTheAnchorInInputPixels() {
        float[] logits = BlazeFaceDecoder.emptyLogits();
        float[] reg = new float[896 * 16];
        int a = BlazeFaceDecoder.anchorIndex(1, 3, 4, 2);           // anchor at (4.5/8, 3.5/8)
        logits[a] = 2f;                                             // sigmoid 0.88
        int r = a * 16;
        reg[r] = 12.8f; reg[r + 1] = -6.4f; reg[r + 2] = 25.6f; reg[r + 3] = 38.4f;  // size 128: +0.1, -0.05, 0.2 x 0.3
        for (int k = 0; k < 6; k++) { reg[r + 4 + 2 * k] = k * 1.28f; reg[r + 5 + 2 * k] = -k * 1.28f; }
        int weak = BlazeFaceDecoder.anchorIndex(0, 0, 0, 0);
        logits[weak] = -1f;                                         // sigmoid 0.27: below threshold
        reg[weak * 16 + 2] = 10; reg[weak * 16 + 3] = 10;

        List<FaceDetection> d = BlazeFaceDecoder.decode(logits, reg, 128, 0.5f);
        assertEquals(1, d.size());
        FaceDetection f = d.get(0);
        assertEquals(BlazeFaceDecoder.sigmoid(2f), f.score(), EPS);
        assertEquals(4.5f / 8 + 0.1f, f.box().cx(), EPS);
        assertEquals(3.5f / 8 - 0.05f, f.box().cy(), EPS);
        assertEquals(0.2f, f.box().w(), EPS);
        assertEquals(0.3f, f.box().h(), EPS);
        for (int k = 0; k < 6; k++) {
            assertEquals(4.5f / 8 + k * 0.01f, f.keypointX(k), EPS);
            assertEquals(3.5f / 8 - k * 0.01f, f.keypointY(k), EPS);
        }
        assertEquals(2, BlazeFaceDecoder.decode(logits, reg, 128, 0.2f).size());
        assertTrue(BlazeFaceDecoder.decode(BlazeFaceDecoder.emptyLogits(), reg, 128, 0.5f).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> BlazeFaceDecoder.decode(new float[10], reg, 128, 0.5f));
    }

    private static FaceDetection det(float x, float y, float w, float h, float score, float kp) {
        float[] k = new float[12];
        java.util.Arrays.fill(k, kp);
        return new FaceDetection(new Box(x, y, w, h), score, k);
    }

    @Test void weightedNmsBlendsOverlapsByScoreAndKeepsTheBestScore() {
        FaceDetection a = det(0.10f, 0.10f, 0.20f, 0.20f, 0.9f, 1f);
        FaceDetection b = det(0.12f, 0.10f, 0.20f, 0.24f, 0.6f, 2f);   // IoU with a about 0.69
        FaceDetection far = det(0.60f, 0.60f, 0.20f, 0.20f, 0.7f, 5f);
        List<FaceDetection> out = BlazeFaceDecoder.weightedNms(List.of(b, far, a), 0.3f, 0);
        assertEquals(2, out.size());
        FaceDetection m = out.get(0);
        assertEquals(0.9f, m.score(), EPS);
        float wa = 0.9f / 1.5f, wb = 0.6f / 1.5f;
        assertEquals(wa * 0.10f + wb * 0.12f, m.box().x(), EPS);
        assertEquals(0.10f, m.box().y(), EPS);
        assertEquals(wa * 0.30f + wb * 0.32f - m.box().x(), m.box().w(), EPS);
        assertEquals(wa * 0.30f + wb * 0.34f - 0.10f, m.box().h(), EPS);
        assertEquals(wa * 1 + wb * 2, m.keypointX(3), EPS);
        assertEquals(far, out.get(1));                 // untouched, second by score
    }

    @Test void weightedNmsLeavesBoxesBelowTheIouThresholdAlone() {
        FaceDetection a = det(0.0f, 0.0f, 0.2f, 0.2f, 0.9f, 0f);
        FaceDetection b = det(0.15f, 0.0f, 0.2f, 0.2f, 0.8f, 0f);   // IoU 1/7 = 0.14
        assertEquals(2, BlazeFaceDecoder.weightedNms(List.of(a, b), 0.3f, 0).size());
        assertEquals(1, BlazeFaceDecoder.weightedNms(List.of(a, b), 0.1f, 0).size());
        assertEquals(1, BlazeFaceDecoder.weightedNms(List.of(a, b), 0.3f, 1).size());
        assertEquals(a, BlazeFaceDecoder.weightedNms(List.of(b, a), 0.3f, 1).get(0));
        assertTrue(BlazeFaceDecoder.weightedNms(List.of(), 0.3f, 0).isEmpty());
    }

    @Test void emptyBoxesDoNotBreakNms() {
        FaceDetection z = det(0.5f, 0.5f, 0f, 0f, 0.9f, 0f);
        FaceDetection z2 = det(0.5f, 0.5f, 0f, 0f, 0.8f, 0f);
        assertEquals(0f, BlazeFaceDecoder.iou(z.box(), z2.box()));
        assertEquals(2, BlazeFaceDecoder.weightedNms(List.of(z, z2), 0.3f, 0).size());
    }

    @Test void letterboxCentresAndMapsBack() {
        Letterbox lb = Letterbox.of(200, 100, 128);
        assertEquals(128, lb.contentW);
        assertEquals(64, lb.contentH);
        assertEquals(0, lb.offX);
        assertEquals(32, lb.offY);
        assertEquals(100f, lb.toImageX(0.5f), 1e-3);
        assertEquals(50f, lb.toImageY(0.5f), 1e-3);
        assertEquals(0f, lb.toImageY(32 / 128f), 1e-3);
        assertEquals(200f, lb.toImageW(1f), 1e-3);

        Letterbox tall = Letterbox.of(1, 5000, 128);                 // extreme aspect: at least one column
        assertEquals(1, tall.contentW);
    }

    @Test void letterboxInputIsNhwcRgbInMinusOneToOneWithBlackPadding() {
        BufferedImage img = new BufferedImage(300, 100, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 100; y++)
            for (int x = 0; x < 300; x++) img.setRGB(x, y, x < 150 ? 0xFF0000 : 0x0000FF);
        Letterbox lb = Letterbox.of(300, 100, 128);
        float[] in = lb.toInput(img);
        assertEquals(128 * 128 * 3, in.length);
        int y = 64, xl = 10, xr = 120;
        assertArrayEquals(new float[]{1, -1, -1}, slice(in, (y * 128 + xl) * 3), 1e-4f);
        assertArrayEquals(new float[]{-1, -1, 1}, slice(in, (y * 128 + xr) * 3), 1e-4f);
        assertArrayEquals(new float[]{-1, -1, -1}, slice(in, (5 * 128 + 60) * 3), 1e-4f);  // padding row
        for (float v : in) assertTrue(v >= -1.0001f && v <= 1.0001f);

        // Other image types give the same tensor.
        BufferedImage bgr = new BufferedImage(300, 100, BufferedImage.TYPE_3BYTE_BGR);
        bgr.createGraphics().drawImage(img, 0, 0, null);
        assertArrayEquals(in, lb.toInput(bgr), 1e-5f);
        BufferedImage gray = new BufferedImage(300, 100, BufferedImage.TYPE_INT_ARGB_PRE);
        gray.createGraphics().drawImage(img, 0, 0, null);
        assertArrayEquals(in, lb.toInput(gray), 1e-5f);
    }

    @Test void resamplingWeightsSumToOne() {
        for (int[] c : new int[][]{{640, 128}, {100, 128}, {3, 128}, {128, 128}, {5000, 1}}) {
            Letterbox.Axis ax = new Letterbox.Axis(c[0], c[1]);
            for (int o = 0; o < c[1]; o++) {
                float s = 0;
                for (float w : ax.weights[o]) { s += w; assertTrue(w >= 0); }
                assertEquals(1f, s, 1e-4f);
                assertTrue(ax.start[o] >= 0 && ax.start[o] + ax.weights[o].length <= c[0]);
            }
        }
    }

    private static float[] slice(float[] a, int from) { return new float[]{a[from], a[from + 1], a[from + 2]}; }
}
