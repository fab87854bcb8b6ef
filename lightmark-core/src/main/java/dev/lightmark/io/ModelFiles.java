package dev.lightmark.io;

import java.nio.file.Path;

/** Files kept beside a model file or bundled model resource: {@code NAME.onnx} -> {@code NAME<suffix>}. */
public final class ModelFiles {
    private ModelFiles() {}

    /** {@code dir/NAME.ext} -> {@code dir/NAME<suffix>}. */
    public static Path beside(Path model, String suffix) {
        return model.resolveSibling(stem(model.getFileName().toString()) + suffix);
    }

    /** {@code /models/x/NAME.ext} -> {@code /models/x/NAME<suffix>}. */
    public static String besideResource(String resource, String suffix) {
        int slash = resource.lastIndexOf('/');
        return resource.substring(0, slash + 1) + stem(resource.substring(slash + 1)) + suffix;
    }

    private static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
