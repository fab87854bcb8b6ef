package dev.lightmark.model.cascade;

/**
 * Cuts the patches a cascade stage sees, in plain Java: patch positions are inputs to a stage,
 * never differentiated through. Works on normalised crops (N, 3, S, S); a pyramid of 2x2
 * averages gives the coarser levels, so every patch is read at one sample per pixel of its
 * level (no aliasing) with bilinear interpolation for the sub-pixel landmark position.
 * Coordinates are continuous (pixel i covers [i, i+1)); outside the crop reads as 0 (mid grey).
 */
public final class PatchSampler {
    private PatchSampler() {}

    /** Level 0 is {@code crops} itself; level l has side S / 2^l. */
    public static float[][] pyramid(float[] crops, int n, int size, int levels) {
        float[][] out = new float[levels][];
        out[0] = crops;
        int s = size;
        for (int l = 1; l < levels; l++) {
            int h = s / 2;
            float[] prev = out[l - 1], cur = new float[n * 3 * h * h];
            for (int plane = 0; plane < n * 3; plane++) {
                int pi = plane * s * s, po = plane * h * h;
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < h; x++) {
                        int a = pi + 2 * y * s + 2 * x;
                        cur[po + y * h + x] = 0.25f * (prev[a] + prev[a + 1] + prev[a + s] + prev[a + s + 1]);
                    }
            }
            out[l] = cur;
            s = h;
        }
        return out;
    }

    /**
     * Patches for the faces {@code faces} (indices into the pyramid's batch): for each face, each
     * point of {@code points}, a (3 * levels, p, p) block centred on the point. {@code shapes}
     * holds 2K crop-unit coordinates (0..1) per face, in the order of {@code faces}.
     * Output layout: (faces.length * points.length, 3 * levels, p, p).
     */
    public static float[] sample(float[][] pyramid, int size, int[] faces, float[] shapes, int[] points, int p) {
        int levels = pyramid.length, k2 = shapes.length / faces.length, ch = 3 * levels;
        float[] out = new float[faces.length * points.length * ch * p * p];
        int o = 0;
        for (int f = 0; f < faces.length; f++) {
            for (int point : points) {
                float cx = shapes[f * k2 + 2 * point], cy = shapes[f * k2 + 2 * point + 1];
                for (int l = 0; l < levels; l++) {
                    int s = size >> l;
                    // Patch pixel (u, v) has its centre at c*s - p/2 + u + 0.5; in sample space
                    // (pixel centres at integers) that is c*s - p/2 + u.
                    float x0 = cx * s - p / 2f, y0 = cy * s - p / 2f;
                    for (int c = 0; c < 3; c++) {
                        int base = (faces[f] * 3 + c) * s * s;
                        patch(pyramid[l], base, s, x0, y0, p, out, o);
                        o += p * p;
                    }
                }
            }
        }
        return out;
    }

    /** Bilinear read of a p x p window whose first sample is at (x0, y0) in sample space. */
    static void patch(float[] img, int base, int s, float x0, float y0, int p, float[] out, int o) {
        int ix = (int) Math.floor(x0), iy = (int) Math.floor(y0);
        float fx = x0 - ix, fy = y0 - iy;
        float w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
        boolean inside = ix >= 0 && iy >= 0 && ix + p < s && iy + p < s;
        for (int v = 0; v < p; v++) {
            int y = iy + v;
            for (int u = 0; u < p; u++) {
                int x = ix + u;
                float r;
                if (inside) {
                    int a = base + y * s + x;
                    r = w00 * img[a] + w10 * img[a + 1] + w01 * img[a + s] + w11 * img[a + s + 1];
                } else {
                    r = w00 * at(img, base, s, x, y) + w10 * at(img, base, s, x + 1, y)
                            + w01 * at(img, base, s, x, y + 1) + w11 * at(img, base, s, x + 1, y + 1);
                }
                out[o + v * p + u] = r;
            }
        }
    }

    private static float at(float[] img, int base, int s, int x, int y) {
        return x < 0 || y < 0 || x >= s || y >= s ? 0f : img[base + y * s + x];
    }
}
