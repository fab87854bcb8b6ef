package dev.lightmark.train;

import dev.lightmark.data.FaceSample;
import dev.lightmark.landmarks.LandmarkScheme;
import dev.lightmark.landmarks.Landmarks;
import dev.lightmark.shape.ShapeModel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * KD-Loss's "soft" landmarks, shared by every trainer that can learn them (a Tolerant teacher of
 * any architecture): each training face's points projected onto an active shape model fitted on
 * the training shapes, keeping {@code variance} of their variance.
 */
public final class SoftTargets {
    private SoftTargets() {}

    /**
     * The training faces with their points softened. The ASM goes to {@code out/asm.json}; the crop
     * box stays the one of the annotated points, so only what is learned changes.
     */
    public static FaceBank apply(FaceBank bank, float variance, String source, Path out, PrintStream log) throws IOException {
        List<Landmarks> shapes = bank.faces().stream().map(f -> f.sample().landmarks()).toList();
        ShapeModel asm = ShapeModel.fit(shapes, variance, source);
        asm.save(out.resolve("asm.json"));
        ShapeModel.SoftError e = asm.softenError(shapes, LandmarkScheme.IBUG68);
        log.printf(Locale.ROOT, "soft targets: ASM with %d modes keeps %.1f%% of shape variance; soft vs truth NME %.2f%% mean, %.2f%% worst%n",
                asm.modes(), 100 * asm.varianceExplained(), 100 * e.meanNme(), 100 * e.maxNme());
        return bank.map(f -> new FaceSample(f.image(), asm.soften(f.landmarks()), f.faceBox(), f.attributes()));
    }
}
