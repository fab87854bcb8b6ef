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
    /** A bundled model: its resource and what it is, for listings. */
    public record Entry(String name, String resource, String description) {}

    private static final Map<String, Entry> BY_NAME = new LinkedHashMap<>();

    static {
        add("default", LandmarkPredictor.BUNDLED, "the most accurate bundled model within dlib's per-face time: PFLD-0.25X (300-W)");
        add("fast", LandmarkPredictor.BUNDLED, "the fastest bundled model: PFLD-0.25X (300-W)");
    }

    private BundledModels() {}

    private static void add(String name, String resource, String description) {
        BY_NAME.put(name, new Entry(name, resource, description));
    }

    public static Map<String, Entry> all() { return java.util.Collections.unmodifiableMap(BY_NAME); }

    /** The bundled model {@code model} names, unless it is a path to an existing file. */
    public static Optional<Entry> named(Path model) {
        if (model == null || model.getNameCount() != 1 || Files.exists(model)) return Optional.empty();
        return Optional.ofNullable(BY_NAME.get(model.toString()));
    }
}
