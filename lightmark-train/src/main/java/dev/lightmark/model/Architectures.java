package dev.lightmark.model;

import dev.lightmark.io.JsonConfigs;
import dev.lightmark.model.cascade.CascadeArchitecture;
import dev.lightmark.model.efficientnet.EfficientNetArchitecture;
import dev.lightmark.model.hourglass.HourglassArchitecture;
import dev.lightmark.model.pfld.PfldArchitecture;
import dev.lightmark.model.tsal.TsalArchitecture;
import dev.lightmark.train.CommonTrainingConfig;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry: every architecture Lightmark can build, train and run, by name. Adding one is a
 * new package under {@code dev.lightmark.model} with its {@link Architecture} and a line here.
 */
public final class Architectures {
    private static final Map<String, Architecture> BY_NAME = new LinkedHashMap<>();

    static {
        for (Architecture a : List.of(
                new PfldArchitecture(),
                new EfficientNetArchitecture(),
                new HourglassArchitecture(),
                new CascadeArchitecture(),
                new TsalArchitecture()))
            BY_NAME.put(a.name(), a);
    }

    private Architectures() {}

    public static Architecture get(String name) {
        Architecture a = BY_NAME.get(name);
        if (a == null) throw new IllegalArgumentException("unknown architecture '" + name + "' (known: " + String.join(", ", BY_NAME.keySet()) + ")");
        return a;
    }

    public static List<String> names() { return List.copyOf(BY_NAME.keySet()); }

    /** The architecture a config file names ({@code "architecture"}; PFLD when absent). */
    public static Architecture ofConfig(Path file) {
        String name = JsonConfigs.textField(file, "architecture", "training config");
        return get(name == null ? "pfld" : name);
    }

    /** A training config file read as the type its architecture declares; PFLD's defaults without a file. */
    public static CommonTrainingConfig readConfig(Path file) {
        if (file == null) return new dev.lightmark.model.pfld.TrainConfig();
        return JsonConfigs.read(file, ofConfig(file).configType(), "training config");
    }
}
