package dev.lightmark.track;

import dev.lightmark.data.FaceSample;
import dev.lightmark.eval.Jitter;
import dev.lightmark.eval.Nme;
import dev.lightmark.eval.Normalizer;
import dev.lightmark.geometry.Affine;
import dev.lightmark.image.Images;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.progress.ProgressBar;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Labelled video made from still photos: each photo drifts and sways along a smooth path (shift,
 * rotation, zoom) at a fixed frame rate, so every frame's true points are known exactly. Tracking
 * it measures what smoothing costs in accuracy (lag) on steady head motion, which labelled frame
 * sequences with gaps between frames cannot show. The motion is rigid: the true points have no
 * jitter, so any measured jitter is the tracker's.
 */
public final class MovingPhotos {
    private MovingPhotos() {}

    /** The path of one clip: amplitudes in face sizes / radians / relative zoom, frequencies in Hz. */
    record Path(double ax, double ay, double fx, double fy, double px, double py, double rot, double fr, double zoom, double fz) {
        static Path random(Random r) {
            return new Path(0.25 + 0.15 * r.nextDouble(), 0.1 + 0.1 * r.nextDouble(), 0.3 + 0.4 * r.nextDouble(),
                    0.2 + 0.4 * r.nextDouble(), 2 * Math.PI * r.nextDouble(), 2 * Math.PI * r.nextDouble(),
                    Math.toRadians(5 + 10 * r.nextDouble()), 0.2 + 0.3 * r.nextDouble(), 0.05 + 0.1 * r.nextDouble(),
                    0.1 + 0.3 * r.nextDouble());
        }

        /** Image -> frame map at time t for a face of {@code size} px centred at (cx, cy). */
        Affine at(double t, double size, double cx, double cy) {
            double dx = size * ax * Math.sin(2 * Math.PI * fx * t + px), dy = size * ay * Math.sin(2 * Math.PI * fy * t + py);
            double a = rot * Math.sin(2 * Math.PI * fr * t), s = 1 + zoom * Math.sin(2 * Math.PI * fz * t);
            AffineTransform m = new AffineTransform();
            m.translate(cx + dx, cy + dy);
            m.rotate(a);
            m.scale(s, s);
            m.translate(-cx, -cy);
            return new Affine((float) m.getScaleX(), (float) m.getShearX(), (float) m.getTranslateX(),
                    (float) m.getShearY(), (float) m.getScaleY(), (float) m.getTranslateY());
        }
    }

    public record Result(int clips, int frames, int found, double nmeRaw, double nmeSmoothed,
                         long pairs, double jitterRaw, double jitterSmoothed) {
        public String describe() {
            return String.format(Locale.ROOT, "%d moving photos, %d frames, face found in %d; NME raw %.2f %%, smoothed %.2f %%; "
                            + "jitter over %d pairs: raw %.2f %%, smoothed %.2f %% (ground truth 0: rigid motion)",
                    clips, frames, found, 100 * nmeRaw, 100 * nmeSmoothed, pairs, 100 * jitterRaw, 100 * jitterSmoothed);
        }
    }

    /**
     * @param newTracker a fresh tracker per clip, smoothing on
     * @param seconds    clip length
     */
    public static Result run(List<FaceSample> photos, Supplier<FaceTracker> newTracker, double fps, double seconds,
                             long seed, ProgressBar bar) {
        Random r = new Random(seed);
        int n = (int) Math.round(fps * seconds), frames = 0, found = 0;
        double raw = 0, smooth = 0;
        Jitter.Mean jRaw = new Jitter.Mean(), jSmooth = new Jitter.Mean();
        for (FaceSample photo : photos) {
            BufferedImage img = Images.read(photo.image());
            Landmarks truth0 = photo.landmarks();
            var box = truth0.bounds();
            double size = Math.sqrt(box.w() * box.h());
            Path path = Path.random(r);
            FaceTracker tracker = newTracker.get();
            TrackedFace prev = null;
            for (int i = 0; i < n; i++) {
                double t = i / fps;
                Affine m = path.at(t, size, box.cx(), box.cy());
                BufferedImage frame = render(img, m);
                Landmarks truth = truth0.transform(m);
                TrackedFace face = null;
                for (TrackedFace f : tracker.next(frame, t))
                    if (f.box().iou(truth.bounds()) >= 0.3f && (face == null || f.box().iou(truth.bounds()) > face.box().iou(truth.bounds())))
                        face = f;
                frames++;
                if (face != null) {
                    found++;
                    raw += Nme.of(face.raw(), truth, Normalizer.INTER_OCULAR);
                    smooth += Nme.of(face.points(), truth, Normalizer.INTER_OCULAR);
                    if (prev != null && prev.id() == face.id()) {
                        jRaw.add(prev.raw(), face.raw());
                        jSmooth.add(prev.points(), face.points());
                    }
                }
                prev = face;
                if (bar != null) bar.step(1);
            }
        }
        return new Result(photos.size(), frames, found, raw / found, smooth / found, jRaw.pairs(), jRaw.mean(), jSmooth.mean());
    }

    private static BufferedImage render(BufferedImage src, Affine m) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, new AffineTransform(m.a(), m.d(), m.b(), m.e(), m.c(), m.f()), null);
        g.dispose();
        return out;
    }
}
