package dev.lightmark.infer;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a saved model is: architecture, its size parameters and the crop it expects. Stored as
 * JSON in the model file next to the weights. An architecture's own settings (an hourglass's
 * stacks, a cascade's stage layout) are a JSON object under the architecture's name, read and
 * written by that architecture with {@link #settings} and {@link #setSettings}, so core needs to
 * know none of them.
 */
public class ModelSpec {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The registered architecture's name: "pfld", "efficientnet", "hourglass", "cascade", "tsal", ... */
    public String architecture = "pfld";
    public int points = 68;
    /** Width multiplier of the backbone (PFLD, EfficientNet). */
    public float width = 0.25f;
    /** Depth multiplier (EfficientNet only; 1 = B0's block counts). */
    public float depth = 1f;
    public int inputSize = 112;
    public float cropScale = 1.25f;
    /** Free text: what data and command produced the weights. */
    public String trainedOn = "";

    private final Map<String, JsonNode> sections = new TreeMap<>();

    /** This architecture section read as {@code type}, or null when the spec has none. */
    public <T> T settings(String name, Class<T> type) {
        JsonNode n = sections.get(name);
        if (n == null) return null;
        try {
            return JSON.treeToValue(n, type);
        } catch (Exception e) {
            throw new IllegalArgumentException("model spec: bad '" + name + "' settings: " + e.getMessage(), e);
        }
    }

    public void setSettings(String name, Object value) { sections.put(name, JSON.valueToTree(value)); }

    @JsonIgnore
    public boolean hasSettings(String name) { return sections.containsKey(name); }

    @JsonAnyGetter
    Map<String, JsonNode> sections() { return sections; }

    @JsonAnySetter
    void section(String name, JsonNode value) { sections.put(name, value); }
}
