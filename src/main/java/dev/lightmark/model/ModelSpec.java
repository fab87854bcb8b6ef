package dev.lightmark.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lightmark.model.hourglass.HourglassSpec;

/**
 * What a saved model is: architecture, its size parameters and the crop it expects. Stored as
 * JSON in the model file next to the weights.
 */
public class ModelSpec {
    public String architecture = "pfld";   // "pfld", "efficientnet" or "cascade"
    public int points = 68;
    public float width = 0.25f;
    /** Depth multiplier (EfficientNet only; 1 = B0's block counts). */
    public float depth = 1f;
    public int inputSize = 112;
    public float cropScale = 1.25f;
    /** Free text: what data and command produced the weights. */
    public String trainedOn = "";
    /** Settings of architecture "hourglass" (heatmaps at 1/4 of inputSize); absent for the others. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public HourglassSpec hourglass;
    /** Stage layout of a selective cascade; absent for the other architectures. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public dev.lightmark.model.cascade.CascadeSpec cascade;
    /** Settings of architecture "tsal" (two-head heatmap + centre/offsets net); absent otherwise. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public dev.lightmark.model.tsal.TsalSpec tsal;
}
