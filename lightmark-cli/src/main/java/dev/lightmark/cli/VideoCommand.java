package dev.lightmark.cli;

import dev.lightmark.infer.FacePipeline;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.track.VideoTracking;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "video", mixinStandardHelpOptions = true,
        description = {"Track faces and their 68 landmarks through a video (MP4, MKV, AVI, WebM, ...).",
                "The detector runs on the first frame, every --detect-every frames and when a track is lost; in between each "
                        + "face's crop comes from its points in the previous frame. Points are smoothed over time (One Euro "
                        + "filter) unless --no-smooth. Prints a summary with frames/s and landmark jitter on stderr."})
final class VideoCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "Input video file")
    Path input;

    @Option(names = "--out", description = "Write the video with boxes, track ids and points drawn (MPEG-4; .mp4, .mkv or .avi)")
    Path out;

    @Option(names = "--json", description = "Write one JSON line per frame: frame, time (s), faces with id, detected, score, box, points")
    Path json;

    @Option(names = "--max-frames", defaultValue = "0", description = "Stop after this many frames (0: all). Default: ${DEFAULT-VALUE}")
    int maxFrames;

    @Mixin
    TrackingOptions tracking;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(input)) throw new IllegalArgumentException("video not found: " + input);
        if (maxFrames < 0) throw new IllegalArgumentException("--max-frames must be 0 or more");
        if (out != null && out.toAbsolutePath().normalize().equals(input.toAbsolutePath().normalize()))
            throw new IllegalArgumentException("--out would overwrite the input video " + input);
        PrintWriter err = spec.commandLine().getErr();
        VideoTracking.Summary s;
        try (LandmarkPredictor lp = tracking.loadModel(); FacePipeline p = tracking.pipeline(lp)) {
            s = VideoTracking.run(input, tracking.tracker(p, tracking.smooth),
                    new VideoTracking.Outputs(out, json, maxFrames, tracking.pipeline.trust()), "video");
        }
        err.println("done: " + s.describe() + (tracking.smooth ? "" : " (smoothing off)"));
        if (out != null) err.println("video: " + out);
        if (json != null) err.println("points: " + json);
        err.flush();
        return 0;
    }
}
