package dev.lightmark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lightmark.geometry.Box;
import dev.lightmark.image.Images;
import dev.lightmark.infer.FacePipeline;
import dev.lightmark.infer.FaceResult;
import dev.lightmark.infer.LandmarkPredictor;
import dev.lightmark.infer.Overlay;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "detect", mixinStandardHelpOptions = true,
        description = "Find faces and their 68 landmarks in a photo; prints JSON.")
final class DetectCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "Image file (JPEG, PNG, ...)")
    Path image;

    @Option(names = "--overlay", description = "Also write the photo with boxes and points drawn (PNG)")
    Path overlay;

    @Option(names = "--model", description = "Landmark model (.lmk); default: the bundled model")
    Path model;

    @Option(names = "--detector", defaultValue = "AUTO",
            description = "FRONT (fast, large faces), BACK (small faces) or AUTO (both, merged). Default: ${DEFAULT-VALUE}")
    FacePipeline.DetectorChoice detector;

    @Option(names = "--threshold", defaultValue = "0.5", description = "Detector score threshold. Default: ${DEFAULT-VALUE}")
    float threshold;

    @Option(names = "--threads", defaultValue = "1", description = "Intra-op threads. Default: ${DEFAULT-VALUE}")
    int threads;

    @Override
    public Integer call() throws Exception {
        BufferedImage img = Images.read(image);
        List<FaceResult> faces;
        long t0;
        double ms;
        try (LandmarkPredictor lp = LandmarkPredictor.load(model, threads);
             FacePipeline p = FacePipeline.create(detector, threshold, threads, lp)) {
            t0 = System.nanoTime();
            faces = p.run(img);
            ms = (System.nanoTime() - t0) / 1e6;
        }
        System.out.println(toJson(image, img, faces, ms));
        if (overlay != null) {
            if (!ImageIO.write(Overlay.draw(img, faces), "png", overlay.toFile()))
                throw new IllegalStateException("no PNG writer available");
            System.err.println("overlay: " + overlay);
        }
        return 0;
    }

    static String toJson(Path image, BufferedImage img, List<FaceResult> faces, double ms) throws Exception {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("image", image.toString());
        root.put("width", img.getWidth());
        root.put("height", img.getHeight());
        root.put("ms", Math.round(ms * 10) / 10.0);
        ArrayNode arr = root.putArray("faces");
        for (FaceResult f : faces) {
            ObjectNode o = arr.addObject();
            o.put("score", Math.round(f.score() * 1000) / 1000.0);
            o.set("box", box(m, f.detectorBox()));
            o.set("landmarkBox", box(m, f.landmarkBox()));
            ArrayNode pts = o.putArray("points");
            for (int i = 0; i < f.landmarks().size(); i++) {
                ArrayNode p = pts.addArray();
                p.add(round(f.landmarks().x(i)));
                p.add(round(f.landmarks().y(i)));
            }
        }
        return m.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    private static ObjectNode box(ObjectMapper m, Box b) {
        ObjectNode o = m.createObjectNode();
        o.put("x", round(b.x()));
        o.put("y", round(b.y()));
        o.put("w", round(b.w()));
        o.put("h", round(b.h()));
        return o;
    }

    private static double round(float v) { return Math.round(v * 10) / 10.0; }

}
