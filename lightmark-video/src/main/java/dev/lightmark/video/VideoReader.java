package dev.lightmark.video;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.ByteBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decodes the video stream of a file (anything FFmpeg reads: MP4, MKV, AVI, WebM, ...) frame by
 * frame into RGB images, with each frame's timestamp. Audio is skipped. Not thread-safe.
 */
public final class VideoReader implements AutoCloseable {
    private final Path file;
    private final FFmpegFrameGrabber grabber;
    private final double fps;
    private int next;
    private double lastTime = Double.NEGATIVE_INFINITY;

    private VideoReader(Path file, FFmpegFrameGrabber grabber) {
        this.file = file;
        this.grabber = grabber;
        double r = grabber.getVideoFrameRate();
        this.fps = r > 0 && Double.isFinite(r) ? r : 25.0;
    }

    /** Opens a file; fails with a message naming it when it is missing or has no decodable video. */
    public static VideoReader open(Path file) throws IOException {
        if (!Files.exists(file)) throw new IOException("video not found: " + file);
        if (!Files.isRegularFile(file)) throw new IOException("not a video file: " + file);
        if (Files.size(file) == 0) throw new IOException("video file is empty: " + file);
        FfmpegNatives.init();
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
        g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
        try {
            g.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            closeQuietly(g);
            throw new IOException("cannot read video " + file + ": " + reason(e), e);
        }
        if (!g.hasVideo() || g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
            closeQuietly(g);
            throw new IOException("no video stream in " + file);
        }
        return new VideoReader(file, g);
    }

    public int width() { return grabber.getImageWidth(); }
    public int height() { return grabber.getImageHeight(); }

    /** Frame rate the container declares (25 when it declares none). */
    public double fps() { return fps; }

    /** Frame count the container declares; an estimate that may be 0 or off by a few. */
    public int frameCountEstimate() { return Math.max(0, grabber.getLengthInVideoFrames()); }

    /** The next frame, or null at the end of the stream. */
    public VideoFrame read() throws IOException {
        Frame f;
        try {
            f = grabber.grabImage();
        } catch (FrameGrabber.Exception e) {
            throw new IOException("cannot decode frame " + next + " of " + file + ": " + reason(e), e);
        }
        if (f == null) return null;
        BufferedImage img = toRgb(f, width(), height());
        // Container timestamps (microseconds) when they increase; otherwise the nominal frame time.
        double t = f.timestamp > 0 || next == 0 ? f.timestamp / 1e6 : Double.NaN;
        if (!(t > lastTime)) t = next == 0 ? 0 : lastTime + 1 / fps;
        lastTime = t;
        return new VideoFrame(next++, t, img);
    }

    /**
     * Packed BGR24 rows -> a new TYPE_INT_RGB image. Done here rather than with JavaCV's Java2D
     * converter because FFmpeg pads rows (e.g. 96 px wide: 384 bytes, not 288) and that
     * converter then takes the padding for a fourth channel; the grabber also reuses its buffer.
     */
    private static BufferedImage toRgb(Frame f, int width, int height) {
        int w = f.imageWidth > 0 ? f.imageWidth : width, h = f.imageHeight > 0 ? f.imageHeight : height;
        ByteBuffer buf = (ByteBuffer) f.image[0];
        int stride = f.imageStride * Math.max(1, f.imageDepth / 8);
        if (stride < 3 * w) stride = 3 * w;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        byte[] row = new byte[3 * w];
        for (int y = 0; y < h; y++) {
            buf.get(y * stride, row, 0, row.length);
            for (int x = 0, i = y * w; x < w; x++, i++)
                px[i] = (row[3 * x + 2] & 255) << 16 | (row[3 * x + 1] & 255) << 8 | (row[3 * x] & 255);
        }
        return out;
    }

    static String reason(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static void closeQuietly(FFmpegFrameGrabber g) {
        try {
            g.release();
        } catch (Exception ignored) {
            // already failing with a clearer message
        }
    }

    @Override
    public void close() throws IOException {
        try {
            grabber.stop();
            grabber.release();
        } catch (FrameGrabber.Exception e) {
            throw new IOException("cannot close video " + file + ": " + reason(e), e);
        }
    }
}
