package dev.lightmark.augment;

import dev.lightmark.geometry.Affine;
import dev.lightmark.geometry.Box;

/**
 * How a face box becomes the model's square input: a square of {@code scale * max(w, h)} around
 * the box centre. The same policy is used for training, for ground-truth-box evaluation and for
 * detector boxes (after mapping them to the landmark box), so the model always sees the framing
 * it was trained on.
 */
public record CropPolicy(int inputSize, float scale) {
    public static final CropPolicy PFLD = new CropPolicy(112, 1.25f);

    public Box square(Box face) { return face.squareScaled(scale); }

    /** Image -> crop map for a face box, optionally rotated (radians) about the box centre. */
    public Affine toCrop(Box face, float rotation) {
        Box sq = square(face);
        Affine a = Affine.boxToSquare(sq, inputSize);
        if (rotation != 0f) {
            float c = inputSize / 2f;
            a = Affine.rotateAbout(rotation, c, c).compose(a);
        }
        return a;
    }
}
