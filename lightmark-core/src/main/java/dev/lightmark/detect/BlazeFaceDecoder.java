package dev.lightmark.detect;

import dev.lightmark.geometry.Box;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Turns BlazeFace's raw outputs into detections and merges overlapping ones. Works in coordinates
 * normalised to the square network input ([0, 1] on both axes, y down); mapping to image pixels is
 * the caller's job. Stateless, so safe to share between threads.
 *
 * <p>Anchor layout (MediaPipe SSD anchors with fixed size 1): a 16x16 grid with 2 anchors per cell,
 * then an 8x8 grid with 6 anchors per cell, rows top to bottom, cells left to right, anchors of a
 * cell together. An anchor sits at the cell centre {@code ((col + 0.5) / cells, (row + 0.5) / cells)}.
 * Each anchor has one score logit and 16 regression values: box centre offset x, y, box w, h, then
 * six key point offsets x, y, all in input pixels (divided by the input size here).
 */
final class BlazeFaceDecoder {
    static final int[] GRID = {16, 8};
    static final int[] ANCHORS_PER_CELL = {2, 6};
    static final int ANCHOR_COUNT = 16 * 16 * 2 + 8 * 8 * 6;   // 896
    static final int VALUES_PER_ANCHOR = 16;
    /** MediaPipe clips score logits to this magnitude before the sigmoid. */
    static final float SCORE_CLIP = 100f;

    private static final float[] ANCHOR_XY = buildAnchors();

    private BlazeFaceDecoder() {}

    private static float[] buildAnchors() {
        float[] a = new float[2 * ANCHOR_COUNT];
        int k = 0;
        for (int layer = 0; layer < GRID.length; layer++) {
            int cells = GRID[layer];
            for (int row = 0; row < cells; row++)
                for (int col = 0; col < cells; col++)
                    for (int n = 0; n < ANCHORS_PER_CELL[layer]; n++) {
                        a[k++] = (col + 0.5f) / cells;
                        a[k++] = (row + 0.5f) / cells;
                    }
        }
        return a;
    }

    /** Anchor centre x of anchor {@code i} (normalised), for tests. */
    static float anchorX(int i) { return ANCHOR_XY[2 * i]; }
    static float anchorY(int i) { return ANCHOR_XY[2 * i + 1]; }

    static float sigmoid(float logit) {
        float x = Math.max(-SCORE_CLIP, Math.min(SCORE_CLIP, logit));
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    /**
     * Decodes every anchor whose score exceeds {@code threshold}.
     *
     * @param logits    {@value #ANCHOR_COUNT} score logits (first grid, then second)
     * @param regress   {@value #ANCHOR_COUNT} x 16 regression values in the same order
     * @param inputSize side of the network input in pixels (offsets are in those pixels)
     * @return detections in normalised input coordinates, in anchor order
     */
    static List<FaceDetection> decode(float[] logits, float[] regress, int inputSize, float threshold) {
        if (logits.length != ANCHOR_COUNT || regress.length != ANCHOR_COUNT * VALUES_PER_ANCHOR)
            throw new IllegalArgumentException("expected " + ANCHOR_COUNT + " anchors, got " + logits.length
                    + " scores and " + regress.length + " regression values");
        float inv = 1f / inputSize;
        List<FaceDetection> out = new ArrayList<>();
        for (int i = 0; i < ANCHOR_COUNT; i++) {
            float score = sigmoid(logits[i]);
            if (!(score > threshold)) continue;
            int r = i * VALUES_PER_ANCHOR;
            float ax = ANCHOR_XY[2 * i], ay = ANCHOR_XY[2 * i + 1];
            float cx = ax + regress[r] * inv, cy = ay + regress[r + 1] * inv;
            float w = regress[r + 2] * inv, h = regress[r + 3] * inv;
            if (!(w > 0 && h > 0)) continue;
            float[] kp = new float[2 * FaceDetection.KEYPOINT_COUNT];
            for (int k = 0; k < FaceDetection.KEYPOINT_COUNT; k++) {
                kp[2 * k] = ax + regress[r + 4 + 2 * k] * inv;
                kp[2 * k + 1] = ay + regress[r + 5 + 2 * k] * inv;
            }
            out.add(new FaceDetection(new Box(cx - w / 2, cy - h / 2, w, h), score, kp));
        }
        return out;
    }

    /**
     * MediaPipe's weighted non-maximum suppression: take the best remaining detection, gather every
     * remaining detection whose IoU with it exceeds {@code iouThreshold} (itself included), and
     * replace the group by its score-weighted mean box and key points, keeping the best score.
     *
     * @param maxDetections at most this many results (best first); {@code <= 0} means no limit
     * @return merged detections, highest score first
     */
    static List<FaceDetection> weightedNms(List<FaceDetection> dets, float iouThreshold, int maxDetections) {
        List<FaceDetection> remaining = new ArrayList<>(dets);
        remaining.sort(Comparator.comparingDouble(FaceDetection::score).reversed());
        List<FaceDetection> out = new ArrayList<>();
        int nk = 2 * FaceDetection.KEYPOINT_COUNT;
        while (!remaining.isEmpty() && (maxDetections <= 0 || out.size() < maxDetections)) {
            FaceDetection top = remaining.get(0);
            List<FaceDetection> rest = new ArrayList<>();
            double sw = 0, x0 = 0, y0 = 0, x1 = 0, y1 = 0;
            int members = 0;
            double[] kp = new double[nk];
            for (int i = 0; i < remaining.size(); i++) {
                FaceDetection d = remaining.get(i);
                if (i != 0 && !(iou(top.box(), d.box()) > iouThreshold)) {
                    rest.add(d);
                    continue;
                }
                members++;
                double w = d.score();
                Box b = d.box();
                sw += w;
                x0 += w * b.x();
                y0 += w * b.y();
                x1 += w * (b.x() + b.w());
                y1 += w * (b.y() + b.h());
                float[] dk = d.keypoints();
                for (int k = 0; k < nk; k++) kp[k] += w * dk[k];
            }
            FaceDetection merged;
            if (members > 1 && sw > 0) {
                float[] mk = new float[nk];
                for (int k = 0; k < nk; k++) mk[k] = (float) (kp[k] / sw);
                float bx0 = (float) (x0 / sw), by0 = (float) (y0 / sw);
                Box mb = new Box(bx0, by0, (float) (x1 / sw) - bx0, (float) (y1 / sw) - by0);
                merged = new FaceDetection(mb, top.score(), mk);
            } else {
                merged = top;   // alone (kept exactly), or all scores zero: nothing to weight by
            }
            out.add(merged);
            remaining = rest;
        }
        return out;
    }

    /** IoU that is 0 (not NaN) for empty boxes. */
    static float iou(Box a, Box b) {
        float ix = Math.max(0, Math.min(a.x() + a.w(), b.x() + b.w()) - Math.max(a.x(), b.x()));
        float iy = Math.max(0, Math.min(a.y() + a.h(), b.y() + b.h()) - Math.max(a.y(), b.y()));
        float inter = ix * iy;
        float union = a.w() * a.h() + b.w() * b.h() - inter;
        return union > 0 ? inter / union : 0f;
    }

    /** Index of the anchor nearest to a normalised point in grid {@code layer}, for tests. */
    static int anchorIndex(int layer, int row, int col, int n) {
        int base = 0;
        for (int l = 0; l < layer; l++) base += GRID[l] * GRID[l] * ANCHORS_PER_CELL[l];
        return base + (row * GRID[layer] + col) * ANCHORS_PER_CELL[layer] + n;
    }

    static float[] emptyLogits() {
        float[] l = new float[ANCHOR_COUNT];
        Arrays.fill(l, -SCORE_CLIP);
        return l;
    }
}
