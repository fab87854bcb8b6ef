package dev.lightmark.video;

import org.bytedeco.ffmpeg.global.avutil;

/** Loads FFmpeg's native libraries once and keeps its console logging to real errors. */
final class FfmpegNatives {
    private static volatile boolean ready;

    private FfmpegNatives() {}

    static void init() {
        if (ready) return;
        synchronized (FfmpegNatives.class) {
            if (ready) return;
            try {
                // FFmpeg logs every stream's details at INFO to stderr; that would break the progress line.
                avutil.av_log_set_level(avutil.AV_LOG_ERROR);
            } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                throw new IllegalStateException("FFmpeg native libraries could not be loaded (Linux x86-64 only): " + e.getMessage(), e);
            }
            ready = true;
        }
    }
}
