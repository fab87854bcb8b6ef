package dev.lightmark.landmarks;

import java.util.Arrays;

/**
 * A landmark layout: how many points, which point is the mirror of which (for horizontal
 * flips), and which points define the normalising distances used by NME.
 */
public enum LandmarkScheme {
    /** iBUG 300-W 68 points: jaw 0-16, brows 17-26, nose 27-35, eyes 36-47, mouth 48-67. */
    IBUG68(68,
            pairs(0, 16, 1, 15, 2, 14, 3, 13, 4, 12, 5, 11, 6, 10, 7, 9,
                    17, 26, 18, 25, 19, 24, 20, 23, 21, 22,
                    31, 35, 32, 34,
                    36, 45, 37, 44, 38, 43, 39, 42, 40, 47, 41, 46,
                    48, 54, 49, 53, 50, 52, 55, 59, 56, 58,
                    60, 64, 61, 63, 65, 67),
            36, 45, range(36, 42), range(42, 48)),
    /** WFLW 98 points: contour 0-32, brows 33-50, nose 51-59, eyes 60-75, mouth 76-95, pupils 96-97. */
    WFLW98(98,
            wflwPairs(),
            60, 72, new int[]{96}, new int[]{97}),
    /** COFW 29 points; its usual normaliser is the pupil distance (points 8 and 9). */
    COFW29(29,
            pairs(0, 1, 4, 6, 2, 3, 5, 7, 8, 9, 10, 11, 12, 14, 16, 17, 13, 15, 18, 19, 22, 23),
            8, 9, new int[]{8}, new int[]{9}),
    /** Five points (MTFL order): left eye, right eye, nose, left mouth corner, right mouth corner. */
    FIVE(5, pairs(0, 1, 3, 4), 0, 1, new int[]{0}, new int[]{1});

    private final int size;
    private final int[] mirror;
    private final int outerEyeA;
    private final int outerEyeB;
    private final int[] pupilA;
    private final int[] pupilB;

    LandmarkScheme(int size, int[] pairs, int outerEyeA, int outerEyeB, int[] pupilA, int[] pupilB) {
        this.size = size;
        this.mirror = new int[size];
        for (int i = 0; i < size; i++) mirror[i] = i;
        for (int i = 0; i < pairs.length; i += 2) {
            mirror[pairs[i]] = pairs[i + 1];
            mirror[pairs[i + 1]] = pairs[i];
        }
        this.outerEyeA = outerEyeA;
        this.outerEyeB = outerEyeB;
        this.pupilA = pupilA;
        this.pupilB = pupilB;
    }

    public int size() { return size; }

    /** Index of the point that takes point {@code i}'s place after a horizontal flip. */
    public int mirrorOf(int i) { return mirror[i]; }

    /** Outer eye corners, the "inter-ocular" normaliser of 300-W. */
    public int outerEyeA() { return outerEyeA; }
    public int outerEyeB() { return outerEyeB; }

    /** Points whose centroid is each pupil (eye contour for 68 points, the pupil itself otherwise). */
    public int[] pupilA() { return pupilA.clone(); }
    public int[] pupilB() { return pupilB.clone(); }

    /** The scheme with this many points, or an error naming the count. */
    public static LandmarkScheme forSize(int n) {
        for (LandmarkScheme s : values()) if (s.size == n) return s;
        throw new IllegalArgumentException("no landmark scheme has " + n + " points (known: 68, 98, 29, 5)");
    }

    private static int[] pairs(int... p) { return p; }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }

    private static int[] wflwPairs() {
        int[] p = new int[0];
        for (int i = 0; i < 16; i++) p = append(p, i, 32 - i);
        p = append(p, 33, 46, 34, 45, 35, 44, 36, 43, 37, 42, 38, 50, 39, 49, 40, 48, 41, 47);
        p = append(p, 55, 59, 56, 58);
        p = append(p, 60, 72, 61, 71, 62, 70, 63, 69, 64, 68, 65, 75, 66, 74, 67, 73);
        p = append(p, 76, 82, 77, 81, 78, 80, 83, 87, 84, 86, 88, 92, 89, 91, 93, 95);
        p = append(p, 96, 97);
        return p;
    }

    private static int[] append(int[] a, int... b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
