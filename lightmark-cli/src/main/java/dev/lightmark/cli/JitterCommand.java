package dev.lightmark.cli;

import dev.lightmark.data.FaceSample;
import dev.lightmark.data.PtsFolder;
import dev.lightmark.infer.FacePipeline;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.progress.ProgressBar;
import dev.lightmark.track.MovingPhotos;
import dev.lightmark.track.SequenceEvaluation;
import dev.lightmark.track.VideoTracking;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "jitter", mixinStandardHelpOptions = true,
        description = {"Landmark jitter of the tracker, raw and smoothed: mean frame-to-frame point motion after removing "
                + "the face's global motion (similarity fit), in %% of the inter-ocular distance.",
                "With --sequences, also the accuracy cost of smoothing: NME of raw and smoothed points on labelled "
                        + "frame sequences (e.g. ../shared/data/ytf68/test), and the jitter of the ground truth."})
final class JitterCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", description = "Video files")
    List<Path> videos = new ArrayList<>();

    @Option(names = "--sequences", description = "Folder of labelled frames NAME_VF[x].jpg + .pts (V clip, F frame number)")
    Path sequences;

    @Option(names = "--sequence-fps", defaultValue = "25", description = "Frame rate assumed for --sequences. Default: ${DEFAULT-VALUE}")
    double sequenceFps;

    @Option(names = "--moving-photos", description = "Folder of labelled photos (NAME.jpg + .pts) turned into moving clips with known points, "
            + "to measure the lag of smoothing on steady head motion")
    Path movingPhotos;

    @Option(names = "--moving-count", defaultValue = "30", description = "Photos used from --moving-photos (the first N by name). Default: ${DEFAULT-VALUE}")
    int movingCount;

    @Option(names = "--moving-seconds", defaultValue = "3", description = "Length of each moving clip at 30 frames/s. Default: ${DEFAULT-VALUE}")
    double movingSeconds;

    @Option(names = "--max-frames", defaultValue = "0", description = "Per video, stop after this many frames (0: all)")
    int maxFrames;

    @Mixin
    TrackingOptions tracking;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (videos.isEmpty() && sequences == null && movingPhotos == null)
            throw new IllegalArgumentException("give video files, --sequences DIR and/or --moving-photos DIR");
        for (Path v : videos) if (!Files.exists(v)) throw new IllegalArgumentException("video not found: " + v);
        if (!(sequenceFps > 0)) throw new IllegalArgumentException("--sequence-fps must be positive");
        PrintWriter out = new PrintWriter(System.out, true);
        tracking.smooth = true;
        try (LandmarkPredictor lp = tracking.loadModel(); FacePipeline p = tracking.pipeline(lp)) {
            if (!videos.isEmpty()) {
                List<VideoTracking.Summary> rows = new ArrayList<>();
                for (Path v : videos)
                    rows.add(VideoTracking.run(v, tracking.tracker(p, true), new VideoTracking.Outputs(null, null, maxFrames),
                            v.getFileName().toString()));
                out.printf(Locale.ROOT, "%-28s %7s %9s %11s %9s %11s %13s%n", "video", "frames", "frames/s", "faces/frame",
                        "detector", "raw jitter", "smooth jitter");
                for (VideoTracking.Summary s : rows)
                    out.printf(Locale.ROOT, "%-28s %7d %9.1f %11.2f %9d %10.2f%% %12.2f%%%n", s.video().getFileName(), s.frames(),
                            s.framesPerSecond(), s.faceFrames() / (double) Math.max(1, s.frames()), s.detectorRuns(),
                            100 * s.jitterRaw(), 100 * s.jitterOutput());
            }
            if (sequences != null) {
                PtsFolder.Loaded loaded = PtsFolder.load(sequences, 68);
                loaded.problems().forEach(pr -> spec.commandLine().getErr().println("skipped: " + pr));
                List<FaceSample> samples = loaded.samples();
                List<SequenceEvaluation.Sequence> seqs = SequenceEvaluation.group(samples);
                SequenceEvaluation.Result r;
                try (ProgressBar bar = new ProgressBar("sequences", samples.size(), "frames")) {
                    r = SequenceEvaluation.run(seqs, () -> tracking.tracker(p, true), sequenceFps, bar);
                }
                out.println(sequences + ": " + r.describe());
            }
            if (movingPhotos != null) {
                PtsFolder.Loaded loaded = PtsFolder.load(movingPhotos, 68);
                List<FaceSample> photos = loaded.samples().subList(0, Math.min(movingCount, loaded.samples().size()));
                MovingPhotos.Result r;
                try (ProgressBar bar = new ProgressBar("moving", photos.size() * Math.round(30 * movingSeconds), "frames")) {
                    r = MovingPhotos.run(photos, () -> tracking.tracker(p, true), 30, movingSeconds, 1, bar);
                }
                out.println(movingPhotos + ": " + r.describe());
            }
        }
        out.flush();
        return 0;
    }
}
