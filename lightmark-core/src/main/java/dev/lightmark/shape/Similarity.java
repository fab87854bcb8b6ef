package dev.lightmark.shape;

import dev.lightmark.geometry.Affine;

/**
 * A similarity (uniform scale, rotation, translation; no reflection) and its inverse.
 * {@code transform} maps a shape into a reference frame, {@code inverse} maps back.
 */
public record Similarity(Affine transform, Affine inverse) {
    public static final Similarity IDENTITY = new Similarity(Affine.IDENTITY, Affine.IDENTITY);

    /** p -> scale * R(radians) * p + (tx, ty), with the inverse computed in double precision. */
    public static Similarity of(double scale, double radians, double tx, double ty) {
        double a = scale * Math.cos(radians), b = scale * Math.sin(radians);
        return fromParameters(a, b, tx, ty);
    }

    /** x' = a x - b y + tx, y' = b x + a y + ty (a = s cos, b = s sin). */
    static Similarity fromParameters(double a, double b, double tx, double ty) {
        double n = a * a + b * b;
        if (!(n > 0) || !Double.isFinite(n)) throw new IllegalArgumentException("degenerate similarity (scale " + Math.sqrt(n) + ")");
        double ia = a / n, ib = -b / n; // inverse linear part: (a, b; -b, a) / n
        Affine fwd = new Affine((float) a, (float) -b, (float) tx, (float) b, (float) a, (float) ty);
        Affine inv = new Affine((float) ia, (float) -ib, (float) -(ia * tx - ib * ty),
                (float) ib, (float) ia, (float) -(ib * tx + ia * ty));
        return new Similarity(fwd, inv);
    }

    /** Uniform scale factor of {@code transform}. */
    public double scale() { return Math.hypot(transform.a(), transform.d()); }

    /** Rotation angle of {@code transform} in radians (atan2 of its sine and cosine parts). */
    public double rotation() { return Math.atan2(transform.d(), transform.a()); }

    /** First {@code first}, then this, as a similarity again. */
    public Similarity after(Similarity first) {
        return new Similarity(transform.compose(first.transform), first.inverse.compose(inverse));
    }
}
