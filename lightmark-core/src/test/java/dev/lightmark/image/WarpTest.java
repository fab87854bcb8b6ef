package dev.lightmark.image;

import dev.lightmark.geometry.Affine;
import dev.lightmark.geometry.Box;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WarpTest {
    /** The one-pass network input equals the reference warp + normalisation, mirror included, upright or rotated, in or out of the image. */
    @Test
    void networkInputMatchesTheReferenceWarpAndItsMirror() {
        int w = 57, h = 43, s = 16;
        int[] px = new int[w * h];
        Random rnd = new Random(3);
        for (int i = 0; i < px.length; i++) px[i] = rnd.nextInt(1 << 24);
        Affine[] maps = {
                Affine.boxToSquare(new Box(5, 7, 30, 30), s),            // upright, inside
                Affine.boxToSquare(new Box(-20, 30, 40, 40), s),         // upright, partly outside
                Affine.rotateAbout(0.4f, s / 2f, s / 2f).compose(Affine.boxToSquare(new Box(10, 5, 25, 25), s))};
        for (Affine m : maps) {
            float[] ref = Warp.toChw(px, w, h, m, s);
            float[] out = new float[2 * 3 * s * s + 5];
            Warp.toNetworkInput(px, w, h, m, s, out, 5, 5 + 3 * s * s);
            for (int c = 0; c < 3; c++)
                for (int v = 0; v < s; v++)
                    for (int u = 0; u < s; u++) {
                        float want = (ref[c * s * s + v * s + u] - 127.5f) / 128f;
                        assertEquals(want, out[5 + c * s * s + v * s + u], 1e-6f, "pixel " + u + "," + v);
                        assertEquals(want, out[5 + 3 * s * s + c * s * s + v * s + (s - 1 - u)], 1e-6f, "mirrored " + u + "," + v);
                    }
        }
    }
}
