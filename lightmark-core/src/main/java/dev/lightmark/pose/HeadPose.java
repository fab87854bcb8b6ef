package dev.lightmark.pose;

import dev.lightmark.landmarks.Landmarks;

/**
 * Head pose (yaw, pitch, roll in radians) from 68 2-D landmarks, by fitting a rough mean 3-D
 * face under weak perspective. The data sets carry no pose labels; PFLD's auxiliary network
 * learns these estimates. Only differences between angles enter the loss, so a constant bias
 * of the rough 3-D model does not matter.
 */
public final class HeadPose {
    /** iBUG indices and approximate 3-D positions (mm; x to the image's right, y up, z to the camera). */
    private static final int[] IDX = {36, 39, 42, 45, 27, 30, 31, 35, 48, 54, 51, 57, 8, 0, 16, 17, 21, 22, 26};
    private static final float[][] MODEL = {
            {-44, 32, -28}, {-14, 32, -22}, {14, 32, -22}, {44, 32, -28}, {0, 34, -18}, {0, 0, 0},
            {-14, -10, -16}, {14, -10, -16}, {-25, -36, -22}, {25, -36, -22}, {0, -30, -10},
            {0, -46, -14}, {0, -78, -26}, {-68, 26, -90}, {68, 26, -90}, {-52, 50, -32},
            {-12, 52, -18}, {12, 52, -18}, {52, 50, -32}};

    private HeadPose() {}

    /** Returns {yaw, pitch, roll} in radians. */
    public static float[] estimate(Landmarks lm) {
        if (lm.size() != 68) throw new IllegalArgumentException("head pose needs 68 points, got " + lm.size());
        int n = IDX.length;
        double[] mx = new double[3];
        double mu = 0, mv = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) mx[k] += MODEL[i][k];
            mu += lm.x(IDX[i]);
            mv += -lm.y(IDX[i]);
        }
        for (int k = 0; k < 3; k++) mx[k] /= n;
        mu /= n;
        mv /= n;
        // Least squares M (2x3): q = M p, M = (Q P^T)(P P^T)^-1.
        double[][] ppt = new double[3][3];
        double[][] qpt = new double[2][3];
        for (int i = 0; i < n; i++) {
            double[] p = {MODEL[i][0] - mx[0], MODEL[i][1] - mx[1], MODEL[i][2] - mx[2]};
            double[] q = {lm.x(IDX[i]) - mu, -lm.y(IDX[i]) - mv};
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) ppt[a][b] += p[a] * p[b];
                qpt[0][a] += q[0] * p[a];
                qpt[1][a] += q[1] * p[a];
            }
        }
        double[][] inv = invert3(ppt);
        double[] r1 = new double[3], r2 = new double[3];
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++) {
                r1[a] += qpt[0][b] * inv[b][a];
                r2[a] += qpt[1][b] * inv[b][a];
            }
        normalise(r1);
        double d = dot(r1, r2);
        for (int a = 0; a < 3; a++) r2[a] -= d * r1[a];
        normalise(r2);
        double[] r3 = {r1[1] * r2[2] - r1[2] * r2[1], r1[2] * r2[0] - r1[0] * r2[2], r1[0] * r2[1] - r1[1] * r2[0]};
        // R rows r1, r2, r3; R = Rz(roll) Ry(yaw) Rx(pitch).
        double yaw = Math.asin(Math.max(-1, Math.min(1, -r3[0])));
        double pitch = Math.atan2(r3[1], r3[2]);
        double roll = Math.atan2(r2[0], r1[0]);
        return new float[]{(float) yaw, (float) pitch, (float) roll};
    }

    /** 68 points with the model's points projected under the given pose (others at 0); for tests. */
    static Landmarks render(float yaw, float pitch, float roll, float scale, float cx, float cy) {
        double cy_ = Math.cos(yaw), sy = Math.sin(yaw), cp = Math.cos(pitch), sp = Math.sin(pitch), cr = Math.cos(roll), sr = Math.sin(roll);
        // R = Rz(roll) Ry(yaw) Rx(pitch); only the first two rows matter under weak perspective.
        double[][] r = {
                {cr * cy_, cr * sy * sp - sr * cp, cr * sy * cp + sr * sp},
                {sr * cy_, sr * sy * sp + cr * cp, sr * sy * cp - cr * sp}};
        float[] xy = new float[136];
        for (int i = 0; i < IDX.length; i++) {
            float[] p = MODEL[i];
            double u = r[0][0] * p[0] + r[0][1] * p[1] + r[0][2] * p[2];
            double v = r[1][0] * p[0] + r[1][1] * p[1] + r[1][2] * p[2];
            xy[2 * IDX[i]] = (float) (cx + scale * u);
            xy[2 * IDX[i] + 1] = (float) (cy - scale * v);
        }
        return new Landmarks(xy);
    }

    private static double dot(double[] a, double[] b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

    private static void normalise(double[] v) {
        double n = Math.sqrt(dot(v, v));
        for (int i = 0; i < 3; i++) v[i] /= n;
    }

    private static double[][] invert3(double[][] m) {
        double a = m[0][0], b = m[0][1], c = m[0][2], d = m[1][0], e = m[1][1], f = m[1][2], g = m[2][0], h = m[2][1], i = m[2][2];
        double A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
        double det = a * A + b * B + c * C;
        return new double[][]{
                {A / det, -(b * i - c * h) / det, (b * f - c * e) / det},
                {B / det, (a * i - c * g) / det, -(a * f - c * d) / det},
                {C / det, -(a * h - b * g) / det, (a * e - b * d) / det}};
    }
}
