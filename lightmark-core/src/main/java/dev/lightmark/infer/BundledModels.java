package dev.lightmark.infer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The landmark models inside the jar, by the names {@code --model} accepts in every command and
 * the service accepts as {@code model=}. A file of the same name in the working directory wins.
 */
public final class BundledModels {
    /**
     * A bundled model: its resource, the quality parameters fitted for it, whether the flip test
     * is on unless a caller says otherwise (on where it pays for its second pass, measured on
     * validation faces), and what it is, for listings.
     */
    public record Entry(String name, String resource, String qualityResource, boolean flip, String description) {
        /** The model files: one, or the members of an ensemble joined by {@code +} (their points are averaged). */
        public java.util.List<String> resources() {
            return java.util.List.of(resource.split(java.util.regex.Pattern.quote(LandmarkPredictor.ENSEMBLE_JOIN)));
        }
    }

    private static final Map<String, Entry> BY_NAME = new LinkedHashMap<>();

    /** The light hourglass (1 stack, depth 3, 64 channels, 128 px), 150 epochs on 300-W train. */
    public static final String HOURGLASS = "/models/hourglass/hourglass-300w.onnx";
    /** The same hourglass fine-tuned at 96 px input (40 epochs on 300-W train): the default. */
    public static final String HOURGLASS_96 = "/models/hourglass/hourglass96-300w.onnx";

    // Numbers: BENCHMARKS.md, "Bundled models". Chosen on the 300-W train validation faces; flip
    // defaults from the same faces (on where the second pass pays for its time).
    static {
        add("default", HOURGLASS_96, "/models/hourglass/hourglass96-300w.quality.json", false,
                "the most accurate bundled model within dlib's per-face time: light hourglass 1/3/64 at 96 px (300-W), "
                        + "one pass, 0.8-0.9 ms per face");
        add("fast", LandmarkPredictor.BUNDLED, "/models/pfld/pfld-300w.quality.json", true,
                "the fastest bundled model: PFLD-0.25X (300-W), 0.55 ms per face with flip, 0.34 ms without");
        add("accurate", HOURGLASS, "/models/hourglass/hourglass-300w.quality.json", false,
                "the most accurate bundled model: light hourglass 1/3/64 at 128 px (300-W), one pass 1.2 ms per face (its flip test does not pay)");
        add("video", "/models/pfld/pfld-300w-ytf68.onnx", "/models/pfld/pfld-300w-ytf68.quality.json", true,
                "PFLD-0.25X also trained on YouTube frames (ytf68/train): for video and turned heads, the cost of fast; "
                        + "0.15 points worse than fast on 300-W photos");
    }

    private BundledModels() {}

    private static void add(String name, String resource, String quality, boolean flip, String description) {
        BY_NAME.put(name, new Entry(name, resource, quality, flip, description));
    }

    public static Map<String, Entry> all() { return java.util.Collections.unmodifiableMap(BY_NAME); }

    /** The bundled model {@code model} names, unless it is a path to an existing file. */
    public static Optional<Entry> named(Path model) {
        if (model == null || model.getNameCount() != 1 || Files.exists(model)) return Optional.empty();
        return Optional.ofNullable(BY_NAME.get(model.toString()));
    }
}
