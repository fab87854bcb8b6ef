package dev.lightmark.train;

import dev.lightmark.io.JsonConfigs;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The registry: every architecture Lightmark can build, train and run, by name. Architectures are
 * listed in one place, {@code META-INF/services/dev.lightmark.train.Architecture}, and found with
 * {@link ServiceLoader}, so this package knows none of them and they all build on it. Adding one
 * is a new package under {@code dev.lightmark.model} with its {@link Architecture} and a line in
 * that file.
 */
public final class Architectures {
    private static final Map<String, Architecture> BY_NAME = load();

    private Architectures() {}

    private static Map<String, Architecture> load() {
        Map<String, Architecture> m = new LinkedHashMap<>();
        for (Architecture a : ServiceLoader.load(Architecture.class, Architectures.class.getClassLoader()))
            if (m.put(a.name(), a) != null) throw new IllegalStateException("two architectures are named " + a.name());
        return Collections.unmodifiableMap(m);
    }

    public static Architecture get(String name) {
        Architecture a = BY_NAME.get(name);
        if (a == null) throw new IllegalArgumentException("unknown architecture '" + name + "' (known: " + String.join(", ", BY_NAME.keySet()) + ")");
        return a;
    }

    public static List<String> names() { return List.copyOf(BY_NAME.keySet()); }

    /** The architecture a config file names ({@code "architecture"}; PFLD when absent); errors name the file. */
    public static Architecture ofConfig(Path file) {
        String name = JsonConfigs.textField(file, "architecture", "training config");
        try {
            return get(name == null ? "pfld" : name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("training config " + file + ": " + e.getMessage(), e);
        }
    }

    /** A training config file read as the type its architecture declares; PFLD's defaults without a file. */
    public static CommonTrainingConfig readConfig(Path file) {
        if (file != null) return JsonConfigs.read(file, ofConfig(file).configType(), "training config");
        try {
            return get("pfld").configType().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make PFLD's default config: " + e, e);
        }
    }
}
