package dev.lightmark.geometry;

/** Axis-aligned rectangle in pixels: top-left corner and size. */
public record Box(float x, float y, float w, float h) {
    public float cx() { return x + w / 2; }
    public float cy() { return y + h / 2; }

    /** Square of side {@code scale * max(w, h)} with the same centre. */
    public Box squareScaled(float scale) {
        float s = Math.max(w, h) * scale;
        return new Box(cx() - s / 2, cy() - s / 2, s, s);
    }

    public float iou(Box o) {
        float ix = Math.max(0, Math.min(x + w, o.x + o.w) - Math.max(x, o.x));
        float iy = Math.max(0, Math.min(y + h, o.y + o.h) - Math.max(y, o.y));
        float inter = ix * iy;
        return inter / (w * h + o.w * o.h - inter);
    }
}
