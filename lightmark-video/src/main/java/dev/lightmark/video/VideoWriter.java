package dev.lightmark.video;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Encodes RGB images into a video file at a fixed frame rate; the container comes from the file
 * extension (.mp4, .mkv, .avi, ...). The codec is MPEG-4 Part 2, which every FFmpeg build can
 * encode (the LGPL build has no H.264 encoder), at a high fixed quality. Not thread-safe.
 */
public final class VideoWriter implements AutoCloseable {
    private final Path file;
    private final FFmpegFrameRecorder recorder;
    private final Java2DFrameConverter converter = new Java2DFrameConverter();
    private final int width, height;
    private int frames;

    private VideoWriter(Path file, FFmpegFrameRecorder recorder, int width, int height) {
        this.file = file;
        this.recorder = recorder;
        this.width = width;
        this.height = height;
    }

    public static VideoWriter open(Path file, int width, int height, double fps) throws IOException {
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("bad video size " + width + "x" + height);
        if (!(fps > 0)) throw new IllegalArgumentException("bad frame rate " + fps);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) throw new IOException("folder does not exist for " + file);
        FfmpegNatives.init();
        // MPEG-4 wants even dimensions; an odd last row/column is padded by repeating the edge.
        int w = width + (width & 1), h = height + (height & 1);
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), w, h, 0);
        r.setFormat(format(file));
        r.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
        r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        r.setFrameRate(fps);
        r.setVideoQuality(3); // qscale: 1 best .. 31 worst; 3 keeps thin overlay lines sharp
        r.setGopSize(Math.max(1, (int) Math.round(fps * 2)));
        try {
            r.start();
        } catch (FrameRecorder.Exception | RuntimeException e) {
            try { r.release(); } catch (Exception ignored) { /* already failing */ }
            throw new IOException("cannot write video " + file + ": " + VideoReader.reason(e), e);
        }
        return new VideoWriter(file, r, w, h);
    }

    private static String format(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        String ext = dot < 0 ? "" : n.substring(dot + 1);
        return switch (ext) {
            case "mp4", "m4v", "mov" -> "mp4";
            case "mkv" -> "matroska";
            case "avi" -> "avi";
            case "" -> throw new IllegalArgumentException("output video " + file + " needs an extension such as .mp4");
            default -> ext;
        };
    }

    /** Appends one frame; an image of another size is drawn scaled to the video size. */
    public void write(BufferedImage img) throws IOException {
        BufferedImage frame = img;
        if (img.getWidth() != width || img.getHeight() != height || img.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            frame = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = frame.createGraphics();
            g.drawImage(img, 0, 0, null);
            if (img.getWidth() < width) g.drawImage(img.getSubimage(img.getWidth() - 1, 0, 1, img.getHeight()), width - 1, 0, null);
            if (img.getHeight() < height) g.drawImage(frame.getSubimage(0, img.getHeight() - 1, width, 1), 0, height - 1, null);
            g.dispose();
        }
        try {
            recorder.record(converter.convert(frame));
        } catch (FrameRecorder.Exception e) {
            throw new IOException("cannot encode frame " + frames + " into " + file + ": " + VideoReader.reason(e), e);
        }
        frames++;
    }

    public int framesWritten() { return frames; }

    @Override
    public void close() throws IOException {
        try {
            recorder.stop();
            recorder.release();
        } catch (FrameRecorder.Exception e) {
            throw new IOException("cannot finish video " + file + ": " + VideoReader.reason(e), e);
        }
    }
}
