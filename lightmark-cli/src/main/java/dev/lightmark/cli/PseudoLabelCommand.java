package dev.lightmark.cli;

import dev.lightmark.data.PtsFolder;
import dev.lightmark.infer.FacePipeline;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.pseudo.PseudoLabelRun;
import dev.lightmark.pseudo.PseudoLabeller;
import dev.lightmark.shape.ShapeModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "pseudo-label", mixinStandardHelpOptions = true,
        description = "Label unlabelled faces with one or more teacher models (each reads the face and its mirror) and keep those "
                + "whose readings agree, whose shape the ASM can reproduce and, for MTFL photos, whose eyes, nose tip and mouth "
                + "corners match the five weak labels; writes NAME.jpg + NAME.pts that `train` reads like labelled data, and labels.csv. "
                + "Re-running resumes.")
final class PseudoLabelCommand implements Callable<Integer> {
    @Option(names = "--teacher", required = true, description = "Teacher model (.onnx, .lmk or a bundled name); repeat for an ensemble")
    List<Path> teachers;

    @Option(names = "--mtfl", description = "MTFL CSV (e.g. ../shared/data/mtfl5/train.csv)")
    Path mtfl;

    @Option(names = "--video", description = "A video whose frames to label; repeatable")
    List<Path> videos = new ArrayList<>();

    @Option(names = "--every", defaultValue = "5", description = "With --video: label every N-th frame. Default: ${DEFAULT-VALUE}")
    int every;

    @Option(names = "--limit", defaultValue = "0", description = "At most this many MTFL photos (0 = all)")
    int limit;

    @Option(names = "--asm-data", defaultValue = "../shared/data/300w/train",
            description = "Labelled faces the shape model is fitted on. Default: ${DEFAULT-VALUE}")
    Path asmData;

    @Option(names = "--agreement", defaultValue = "0.06", description = "A point agrees when all readings lie within this share of the inter-ocular distance of their mean. Default: ${DEFAULT-VALUE}")
    float agreement;

    @Option(names = "--min-agreeing", defaultValue = "0.95", description = "Share of points that must agree. Default: ${DEFAULT-VALUE}")
    float minAgreeing;

    @Option(names = "--max-asm-residual", defaultValue = "0.08", description = "Largest distance from the ASM's reconstruction (inter-ocular). Default: ${DEFAULT-VALUE}")
    float maxAsmResidual;

    @Option(names = "--max-five-nme", defaultValue = "0.10", description = "Largest NME against MTFL's five weak labels. Default: ${DEFAULT-VALUE}")
    float maxFiveNme;

    @Option(names = "--out", required = true, description = "Output folder (NAME.jpg + NAME.pts, labels.csv)")
    Path out;

    @Option(names = "--threads", defaultValue = "1", description = "Intra-op threads per model. Default: ${DEFAULT-VALUE}")
    int threads;

    @Override
    public Integer call() throws Exception {
        if (mtfl == null && videos.isEmpty()) throw new IllegalArgumentException("give --mtfl and/or --video");
        var loaded = PtsFolder.load(asmData, 68);
        List<Landmarks> shapes = loaded.samples().stream().map(s -> s.landmarks()).toList();
        if (shapes.isEmpty()) throw new IllegalArgumentException("no labelled faces in --asm-data " + asmData);
        ShapeModel asm = ShapeModel.fit(shapes, 0.95, asmData.toString()).withClamp(true);
        List<LandmarkPredictor> ts = new ArrayList<>();
        try {
            for (Path t : teachers) ts.add(LandmarkPredictor.load(t, threads));
            PseudoLabeller labeller = new PseudoLabeller(ts, asm,
                    new PseudoLabeller.Settings(agreement, minAgreeing, maxAsmResidual, maxFiveNme));
            try (FacePipeline detector = FacePipeline.create(FacePipeline.DetectorChoice.AUTO, 0.5f, threads, ts.get(0))) {
                PseudoLabelRun run = new PseudoLabelRun(labeller, detector, out, System.out);
                if (mtfl != null) run.mtfl(mtfl, limit);
                for (Path v : videos) run.video(v, every, 0);
                System.out.println(run.counts());
                System.out.println("labelled faces: " + out + " (train on it with \"trainDir\" or \"extraTrainDirs\")");
            }
        } finally {
            for (LandmarkPredictor p : ts) p.close();
        }
        return 0;
    }
}
