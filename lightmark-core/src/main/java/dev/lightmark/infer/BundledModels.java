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

    /**
     * The light hourglass (1 stack, depth 3, 80 channels, 128 px), 150 epochs from scratch on 300-W
     * train with mirrored crops that keep the annotations' pixel offset ({@code annotationOffsetX},
     * {@code configs/hourglass80-300w-offset.json}), exported as int8 ({@code export --int8}): the
     * default. The 64-channel network of the same recipe was the default until the fifteenth
     * session; 80 channels cost about 1.3x its network time for 0.13 points on validation from
     * detector boxes (72 channels, tried first: 1.17x for 0.05).
     */
    public static final String HOURGLASS = "/models/hourglass/hourglass128x80-300w-offset-int8.onnx";
    /**
     * The same recipe with 96 channels ({@code configs/hourglass-c96-300w-offset.json}), int8: the
     * first member of {@code accurate}. 0.11-0.16 points better than the default on the validation
     * faces at 1.2x its network time, which would take the default further past dlib's time.
     */
    public static final String HOURGLASS_96_CHANNELS = "/models/hourglass/hourglass128x96-300w-offset-int8.onnx";
    /**
     * The default's float network fine-tuned 40 epochs at 96 px input, keeping the annotations' pixel
     * offset ({@code configs/finetune/hourglass-96-from-offset-default.json}), float: 0.56x the
     * convolution work, for CPUs without AVX-512, where the 128 px default takes 1.7x dlib's time.
     */
    public static final String HOURGLASS_96 = "/models/hourglass/hourglass96-300w-offset.onnx";
    /** The same recipe trained with the ytf68/train persons added (150 epochs), int8: for video and turned heads. */
    public static final String HOURGLASS_YTF68 = "/models/hourglass/hourglass128-300w-ytf68-int8.onnx";
    /**
     * That network fine-tuned 20 epochs on 300-W train alone, then 20 more keeping the annotations'
     * pixel offset in mirrored crops, int8: the second member of {@code accurate}.
     */
    public static final String HOURGLASS_YTF68_300W = "/models/hourglass/hourglass128-ytf68-300w-offset-int8.onnx";

    // Numbers: BENCHMARKS.md, "Bundled models". Chosen on the 300-W train validation faces (video:
    // also the held-out ytf68 persons); flip defaults from the same faces (on where the second
    // pass pays for its time, and off where it would take a model past dlib's time). Each file's
    // point calibration is NAME.calibration.json beside it (PointCalibration).
    static {
        add("default", HOURGLASS, "/models/hourglass/hourglass128x80-300w-offset-int8.quality.json", false,
                "light hourglass 1/3/80 at 128 px (300-W), int8, one pass: the most accurate bundled model expected within "
                        + "dlib's per-face time on AMD EPYC CPUs with AVX-512 VNNI (the 64-channel one took 0.65-0.8x dlib there, "
                        + "and this one's leaner int8 graph takes about as long as that one's did: not measured there); "
                        + "on AVX2-only CPUs the 64-channel one took 1.7-2x dlib, and this one 1.5-1.9x on the Intel Xeon with AVX-512 VNNI measured)");
        add("fast", LandmarkPredictor.BUNDLED, "/models/pfld/pfld-300w.quality.json", true,
                "the fastest bundled model: PFLD-0.25X (300-W) with flip, 0.45x dlib's per-face time with AVX-512, 0.9x on AVX2 "
                        + "(one pass 0.3x / 0.5x)");
        add("balanced", HOURGLASS_96, "/models/hourglass/hourglass96-300w-offset.quality.json", false,
                "light hourglass 1/3/64 at 96 px (300-W), float, one pass: the most accurate bundled model within "
                        + "dlib's per-face time on CPUs without AVX-512 (0.8-1.0x dlib there)");
        add("accurate", HOURGLASS_96_CHANNELS + LandmarkPredictor.ENSEMBLE_JOIN + HOURGLASS_YTF68_300W,
                "/models/hourglass/hourglass128-accurate-ensemble.quality.json", true,
                "the most accurate bundled model: the default's recipe with 96 channels and an hourglass also trained on YouTube "
                        + "frames, points averaged, with the flip test (four int8 passes: 5.1x dlib's per-face time on the Intel Xeon "
                        + "with AVX-512 VNNI measured; the previous pair took 2.5-3x on AMD EPYC with AVX-512 VNNI, 7x on AVX2)");
        add("video", HOURGLASS_YTF68, "/models/hourglass/hourglass128-300w-ytf68-int8.quality.json", false,
                "light hourglass 1/3/64 at 128 px also trained on YouTube frames (ytf68/train), int8: for video and "
                        + "turned heads, 0.8x the default's network (1.3x dlib's per-face time on the Intel Xeon measured); "
                        + "0.2-0.5 points worse than the default on 300-W photos");
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
