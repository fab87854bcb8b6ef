package dev.lightmark.model.tsal;

import dev.lightmark.data.DataFormatException;
import dev.lightmark.data.FaceSample;
import dev.lightmark.data.MtflCsv;
import dev.lightmark.data.PtsFolder;
import dev.lightmark.geometry.Affine;
import dev.lightmark.geometry.Box;
import dev.lightmark.image.Images;
import dev.lightmark.image.Warp;
import dev.lightmark.infer.FacePipeline;
import dev.lightmark.infer.FaceResult;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.progress.ProgressBar;
import dev.lightmark.shape.ProcrustesAlignment;
import dev.lightmark.video.VideoFrame;
import dev.lightmark.video.VideoReader;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Unlabelled faces for the student: frames of videos (face found by the detector, largest face per
 * frame) and MTFL photos (face box from their 5 points). Each face is kept as a small square
 * image around it, so thousands fit in memory. Consecutive video frames of the same face are
 * linked ({@link Item#next}) for the detection/tracking consistency term.
 */
public final class UnlabelledPool {
    /**
     * One face: pixels of its stored square, the landmark box in those pixels, the map from the
     * original frame into them, the index of the next frame's item (-1: none) and its source.
     */
    public record Item(int[] pixels, int size, Box box, Affine fromFrame, int next, String source) {}

    /** Stored square side = STORE_CONTEXT * the box's longer side (enough for crop jitter and rotation). */
    static final float STORE_CONTEXT = 2.2f;
    /** Same face in consecutive frames: landmark boxes overlapping at least this much. */
    static final float SAME_FACE_IOU = 0.4f;

    private final List<Item> items = new ArrayList<>();
    private int videoFaces, mtflFaces, photoFaces, pairs;

    public List<Item> items() { return items; }
    public int size() { return items.size(); }
    public Item get(int i) { return items.get(i); }
    public int videoFaces() { return videoFaces; }
    public int mtflFaces() { return mtflFaces; }
    public int photoFaces() { return photoFaces; }
    public int pairs() { return pairs; }

    /** Indices of the items that have a next frame. */
    public int[] pairStarts() {
        return java.util.stream.IntStream.range(0, items.size()).filter(i -> items.get(i).next() >= 0).toArray();
    }

    public String describe() {
        return String.format(Locale.ROOT, "%d unlabelled faces (%d video frames, %d consecutive pairs; %d MTFL; %d photos)",
                size(), videoFaces, pairs, mtflFaces, photoFaces);
    }

    /** Adds the largest detected face (at least {@code minFace} px) of each frame of a video (at most {@code maxFrames} frames, 0 = all). */
    public void addVideo(Path video, FacePipeline detector, int storeSide, int minFace, int maxFrames) throws IOException {
        try (VideoReader r = VideoReader.open(video);
             ProgressBar bar = new ProgressBar("faces in " + video.getFileName(), Math.max(1, r.frameCountEstimate()), "frames")) {
            int prev = -1;
            Box prevFrameBox = null;
            int frames = 0;
            for (VideoFrame f = r.read(); f != null && (maxFrames <= 0 || frames < maxFrames); f = r.read(), frames++) {
                bar.step(1);
                Box best = largestFace(detector, f.image(), minFace);
                if (best == null) {
                    prev = -1;
                    continue;
                }
                boolean sameFace = prev >= 0 && prevFrameBox.iou(best) >= SAME_FACE_IOU;
                prev = addFrame(f.image(), best, storeSide, video.getFileName() + "#" + f.index(), sameFace ? prev : -1);
                prevFrameBox = best;
            }
        }
    }

    /** The landmark box of the largest detected face whose longer side is at least {@code minFace} px; null if none. */
    private static Box largestFace(FacePipeline detector, BufferedImage image, int minFace) {
        Box best = null;
        for (FaceResult d : detector.detectFaces(image)) {
            Box b = d.landmarkBox();
            if (Math.max(b.w(), b.h()) < minFace) continue;
            if (best == null || b.w() * b.h() > best.w() * best.h()) best = b;
        }
        return best;
    }

    /**
     * Adds one video frame's face; {@code previous} is the item of the same face in the frame
     * before (-1: none), which gets linked to this one. Returns the new item's index.
     */
    public int addFrame(BufferedImage frame, Box face, int storeSide, String source, int previous) {
        int idx = add(frame, face, storeSide, source);
        videoFaces++;
        if (previous >= 0) {
            Item p = items.get(previous);
            items.set(previous, new Item(p.pixels(), p.size(), p.box(), p.fromFrame(), idx, p.source()));
            pairs++;
        }
        return idx;
    }

    /**
     * Adds the largest detected face (at least {@code minFace} px) of each photo, as a user's
     * unlabelled photos would come. Returns how many photos had no such face (they are skipped).
     */
    public int addPhotos(List<Path> photos, FacePipeline detector, int storeSide, int minFace) {
        int missed = 0;
        try (ProgressBar bar = new ProgressBar("faces in photos", Math.max(1, photos.size()), "images")) {
            for (Path photo : photos) {
                bar.step(1);
                BufferedImage img;
                try {
                    img = Images.read(photo);
                } catch (DataFormatException e) {
                    missed++;   // a broken file only costs one unlabelled face
                    continue;
                }
                Box best = largestFace(detector, img, minFace);
                if (best == null) {
                    missed++;
                    continue;
                }
                add(img, best, storeSide, "photo:" + photo.getFileName());
                photoFaces++;
            }
        }
        return missed;
    }

    /**
     * Adds up to {@code max} MTFL faces (chosen by seed). Their box is the tight box of the mean
     * 68-point shape placed on the 5 annotated points by a least-squares similarity.
     */
    public void addMtfl(Path csv, float[] meanShape68, int max, int storeSide, long seed) {
        PtsFolder.Loaded loaded = MtflCsv.load(csv);
        List<FaceSample> all = new ArrayList<>(loaded.samples());
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = all.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            FaceSample t = all.get(i);
            all.set(i, all.get(j));
            all.set(j, t);
        }
        if (max > 0 && all.size() > max) all = all.subList(0, max);
        float[] mean5 = fivePoints(meanShape68);
        try (ProgressBar bar = new ProgressBar("MTFL faces", all.size(), "images")) {
            for (FaceSample s : all) {
                bar.step(1);
                BufferedImage img;
                try {
                    img = Images.read(s.image());
                } catch (DataFormatException e) {
                    continue;   // a broken file only costs one unlabelled face
                }
                Box box = boxFromFivePoints(s.landmarks(), mean5, meanShape68);
                add(img, box, storeSide, "mtfl:" + s.name());
                mtflFaces++;
            }
        }
    }

    private int add(BufferedImage img, Box box, int storeSide, String source) {
        float side = STORE_CONTEXT * Math.max(box.w(), box.h());
        Box square = new Box(box.cx() - side / 2, box.cy() - side / 2, side, side);
        Affine toStore = Affine.boxToSquare(square, storeSide);
        float[] chw = Warp.toChw(Warp.pixels(img), img.getWidth(), img.getHeight(), toStore, storeSide);
        int plane = storeSide * storeSide;
        int[] px = new int[plane];
        for (int i = 0; i < plane; i++)
            px[i] = (Math.round(chw[i]) << 16) | (Math.round(chw[plane + i]) << 8) | Math.round(chw[2 * plane + i]);
        Box stored = mapBox(box, toStore);
        items.add(new Item(px, storeSide, stored, toStore, -1, source));
        return items.size() - 1;
    }

    /** A box through a scale-and-shift map (the store maps have no rotation). */
    static Box mapBox(Box b, Affine a) {
        float x0 = a.mapX(b.x(), b.y()), y0 = a.mapY(b.x(), b.y());
        float x1 = a.mapX(b.x() + b.w(), b.y() + b.h()), y1 = a.mapY(b.x() + b.w(), b.y() + b.h());
        return new Box(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0));
    }

    /**
     * MTFL's 5 points of a 68-point shape: eye centres (the image-left eye first), nose tip,
     * mouth corners (image-left first).
     */
    static float[] fivePoints(float[] s) {
        float[] l = centroid(s, 36, 41), r = centroid(s, 42, 47);
        return new float[]{l[0], l[1], r[0], r[1], s[60], s[61], s[96], s[97], s[108], s[109]};
    }

    /** MTFL points re-ordered left-to-right in the image (files differ on whose "left" they mean). */
    static float[] imageOrder(Landmarks p) {
        float[] f = p.toArray();
        if (f[0] > f[2]) swap(f, 0, 2);
        if (f[6] > f[8]) swap(f, 6, 8);
        return f;
    }

    static Box boxFromFivePoints(Landmarks five, float[] mean5, float[] mean68) {
        var sim = ProcrustesAlignment.alignTo(new Landmarks(mean5), imageOrder(five));
        return new Landmarks(mean68).transform(sim.transform()).bounds();
    }

    private static float[] centroid(float[] s, int from, int to) {
        float x = 0, y = 0;
        for (int i = from; i <= to; i++) {
            x += s[2 * i];
            y += s[2 * i + 1];
        }
        int n = to - from + 1;
        return new float[]{x / n, y / n};
    }

    private static void swap(float[] f, int i, int j) {
        float x = f[i], y = f[i + 1];
        f[i] = f[j];
        f[i + 1] = f[j + 1];
        f[j] = x;
        f[j + 1] = y;
    }
}
