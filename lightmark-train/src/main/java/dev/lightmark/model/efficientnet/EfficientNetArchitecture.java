package dev.lightmark.model.efficientnet;

import ai.djl.nn.Block;
import dev.lightmark.infer.ModelSpec;
import dev.lightmark.model.pfld.PfldArchitecture;

/** EfficientNet regression (KD-Loss teachers); trained by the same regression trainer as PFLD. */
public final class EfficientNetArchitecture extends PfldArchitecture {
    @Override public String name() { return "efficientnet"; }

    @Override public Block build(ModelSpec spec) { return new EfficientNet(spec.points, spec.width, spec.depth); }
}
