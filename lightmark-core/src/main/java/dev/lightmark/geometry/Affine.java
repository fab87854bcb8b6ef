package dev.lightmark.geometry;

/**
 * 2-D affine map x' = a*x + b*y + c, y' = d*x + e*y + f. Crops keep the map from original image
 * to crop so that predictions can be sent back with {@link #inverse()}.
 */
public record Affine(float a, float b, float c, float d, float e, float f) {
    public static final Affine IDENTITY = new Affine(1, 0, 0, 0, 1, 0);

    public float mapX(float x, float y) { return a * x + b * y + c; }
    public float mapY(float x, float y) { return d * x + e * y + f; }

    /** this after other: p -> this(other(p)). */
    public Affine compose(Affine o) {
        return new Affine(
                a * o.a + b * o.d, a * o.b + b * o.e, a * o.c + b * o.f + c,
                d * o.a + e * o.d, d * o.b + e * o.e, d * o.c + e * o.f + f);
    }

    public Affine inverse() {
        float det = a * e - b * d;
        if (Math.abs(det) < 1e-12f) throw new IllegalStateException("singular affine map");
        float ia = e / det, ib = -b / det, id = -d / det, ie = a / det;
        return new Affine(ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f));
    }

    public static Affine translate(float tx, float ty) { return new Affine(1, 0, tx, 0, 1, ty); }
    public static Affine scale(float sx, float sy) { return new Affine(sx, 0, 0, 0, sy, 0); }

    /** Rotation by {@code radians} (counter-clockwise in a y-down image looks clockwise) about (cx, cy). */
    public static Affine rotateAbout(float radians, float cx, float cy) {
        float cos = (float) Math.cos(radians), sin = (float) Math.sin(radians);
        return translate(cx, cy).compose(new Affine(cos, -sin, 0, sin, cos, 0)).compose(translate(-cx, -cy));
    }

    /** Maps the square {@code box} onto [0, size) x [0, size). */
    public static Affine boxToSquare(Box box, int size) {
        float s = size / box.w();
        float t = size / box.h();
        return new Affine(s, 0, -box.x() * s, 0, t, -box.y() * t);
    }
}
