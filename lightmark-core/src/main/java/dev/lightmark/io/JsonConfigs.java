package dev.lightmark.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
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
            throw new IllegalArgumentException("cannot read " + what + " " + file + ": " + oneLine(e), e);
        }
    }

    /** Jackson's message in one line: the field's path and the first line of the problem, or the place in the text. */
    static String oneLine(IOException e) {
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
                else path.append('[').append(r.getIndex()).append(']');
            }
            return "field " + path + ": " + firstLine(m.getOriginalMessage());
        }
        if (e instanceof JsonProcessingException p) {
            JsonLocation at = p.getLocation();
            return firstLine(p.getOriginalMessage())
                    + (at != null && at.getLineNr() > 0 ? " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")" : "");
        }
        return firstLine(e.getMessage());
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return (nl >= 0 ? s.substring(0, nl) : s).trim();
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
            throw new IllegalArgumentException("cannot read " + what + " " + file + ": " + oneLine(e), e);
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
