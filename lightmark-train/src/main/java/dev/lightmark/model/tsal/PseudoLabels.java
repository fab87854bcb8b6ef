package dev.lightmark.model.tsal;

import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.shape.ShapeModel;

/**
 * Turns a teacher's two predictions of one unlabelled face into a pseudo-label: a point is kept
 * where the heatmap head and the centre+offsets head agree (two supervision sources), and the
 * whole face is dropped when the fused shape lies far from the active shape model's space (the
 * face-structure constraint: a shape the ASM cannot reproduce is not a face the teacher read well).
 */
public final class PseudoLabels {
    /**
     * @param agreement      heads agree on a point within this share of the inter-ocular distance
     * @param maxAsmResidual largest mean distance (inter-ocular units) between the fused shape and
     *                       its ASM projection for the face to be used
     */
    public record Settings(float agreement, float maxAsmResidual) {}

    /** The fused points, which of them to learn, and why a face was dropped. */
    public record Label(Landmarks points, boolean[] keep, int agreeing, double asmResidual, boolean shapeOk) {
        public int kept() {
            int n = 0;
            for (boolean k : keep) n += k ? 1 : 0;
            return n;
        }
    }

    private final Settings settings;
    private final ShapeModel asm;
    private final LandmarkScheme scheme;

    public PseudoLabels(Settings settings, ShapeModel asm, LandmarkScheme scheme) {
        this.settings = settings;
        this.asm = asm;
        this.scheme = scheme;
    }

    /** {@code a}, {@code b}: one face's points from head A and head B (2K floats, same coordinates). */
    public Label make(float[] a, float[] b) {
        int k = a.length / 2;
        boolean[] agree = new boolean[k];
        float[] fused = TsalNet.fuse(a, b, 1, k, settings.agreement(), agree);
        Landmarks shape = new Landmarks(fused);
        double residual = asmResidual(shape);
        boolean ok = residual <= settings.maxAsmResidual();
        boolean[] keep = new boolean[k];
        int agreeing = 0;
        for (int i = 0; i < k; i++) {
            agreeing += agree[i] ? 1 : 0;
            keep[i] = agree[i] && ok;
        }
        return new Label(shape, keep, agreeing, residual, ok);
    }

    /** Mean point distance between a shape and its ASM projection, over the inter-ocular distance. */
    public double asmResidual(Landmarks shape) { return asm == null ? 0 : asm.residual(shape, scheme); }

    /** The keep mask re-indexed like {@link Landmarks#mirrorOrder} when the student's view is mirrored. */
    public static boolean[] mirror(boolean[] keep, LandmarkScheme scheme) {
        boolean[] out = new boolean[keep.length];
        for (int i = 0; i < keep.length; i++) out[scheme.mirrorOf(i)] = keep[i];
        return out;
    }
}
