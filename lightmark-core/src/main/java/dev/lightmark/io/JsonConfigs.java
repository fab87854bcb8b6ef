package dev.lightmark.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading and writing the JSON config files of training runs, with errors that name the file. */
public final class JsonConfigs {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonConfigs() {}

    /** The config in {@code file}; unknown fields, bad values and unreadable files name the file. */
    public static <T> T read(Path file, Class<T> type, String what) {
        try {
            return JSON.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The text of a top-level field of the JSON file, or null when it has none; how a command
     * tells which kind of config a file holds before reading it as that kind.
     */
    public static String textField(Path file, String field, String what) {
        try {
            JsonNode n = JSON.readTree(file.toFile());
            return n != null && n.has(field) ? n.get(field).asText() : null;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    public static void write(Path file, Object config) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), config);
    }

    /** The canonical text of a config: two runs with equal text compute the same thing. */
    public static String toJson(Object config) {
        try {
            return JSON.writeValueAsString(config);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
