package dev.lightmark.infer;

import dev.lightmark.geometry.Box;
import dev.lightmark.landmarks.Landmarks;

import java.util.Locale;

/**
 * A sanity check of a landmark model's output. The model sees a square crop around the face and,
 * for any real face, puts its points inside that crop (the face fills the middle 80 %). Points
 * more than half a crop side outside it, or not numbers at all, come from a damaged or unsuitable
 * model (or a crop with no face in it), not from a face: such a result is flagged rather than
 * served as normal.
 */
public final class OutputCheck {
    /** How far outside the crop (in crop sides) a point may lie before the result is flagged. */
    public static final float MARGIN = 0.5f;

    private OutputCheck() {}

    /** Why the points cannot be trusted, or null when they are plausible for the crop {@code square}. */
    public static String problem(Box square, Landmarks points) {
        if (points == null) return null;
        float s = square.w();
        float x0 = square.x() - MARGIN * s, x1 = square.x() + (1 + MARGIN) * s;
        float y0 = square.y() - MARGIN * s, y1 = square.y() + (1 + MARGIN) * s;
        int bad = 0;
        for (int i = 0; i < points.size(); i++) {
            float x = points.x(i), y = points.y(i);
            if (!(x >= x0 && x <= x1 && y >= y0 && y <= y1)) bad++;   // NaN counts as outside
        }
        if (bad == 0) return null;
        return String.format(Locale.ROOT, "%d of %d points lie far outside the face crop (over %.1f crop sides): the model's "
                + "output cannot be trusted (damaged or unsuitable model?)", bad, points.size(), MARGIN);
    }
}
