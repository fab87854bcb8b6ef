package dev.lightmark.train;

import dev.lightmark.infer.ModelSpec;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lightmark.io.SectionFile;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A landmark model file (.lmk): a JSON {@link ModelSpec} section and a DJL weights section. */
public final class ModelFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFile() {}

    public record Loaded(ModelSpec spec, Block block) {}

    /** The network the spec's architecture builds (see {@link Architectures}). */
    public static Block build(ModelSpec spec) { return Architectures.get(spec.architecture).build(spec); }

    public static Map<String, byte[]> sections(ModelSpec spec, Block block) throws IOException {
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put("spec", JSON.writeValueAsBytes(spec));
        s.put("weights", SectionFile.bytes(block::saveParameters));
        return s;
    }

    public static void save(Path file, ModelSpec spec, Block block) throws IOException {
        SectionFile.write(file, sections(spec, block));
    }

    public static Loaded load(InputStream in, String name, NDManager manager) throws IOException {
        return fromSections(SectionFile.read(in, name), name, manager);
    }

    public static Loaded fromSections(Map<String, byte[]> s, String name, NDManager manager) throws IOException {
        if (!s.containsKey("spec") || !s.containsKey("weights"))
            throw new IOException(name + ": missing spec or weights section");
        ModelSpec spec;
        Block block;
        try {
            spec = JSON.readValue(new String(s.get("spec"), StandardCharsets.UTF_8), ModelSpec.class);
            block = build(spec);
        } catch (IOException | RuntimeException e) {
            throw new IOException(name + ": unreadable model description (spec section): " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, spec.inputSize, spec.inputSize));
        try {
            block.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(s.get("weights"))));
        } catch (MalformedModelException e) {
            throw new IOException(name + ": weights do not fit the architecture: " + e.getMessage(), e);
        }
        return new Loaded(spec, block);
    }
}
