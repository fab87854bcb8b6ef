package dev.lightmark.model.cascade;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lightmark.model.layers.MultAdds;
import dev.lightmark.model.layers.TorchSetup;
import dev.lightmark.model.layers.Layers;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CascadeCostTest {
    static CascadeSpec tiny() {
        CascadeSpec s = new CascadeSpec();
        s.stages = 2;
        s.patchSize = 8;
        s.scales = 1;
        s.patches = "half";
        s.channels = new int[]{4};
        s.embedding = 5;
        s.attentionHidden = 3;
        s.errorHidden = 2;
        return s;
    }

    @Test
    void aTinyStageCostsWhatItsLayersAddUpTo() {
        TorchSetup.configure(1);
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            CascadeNet net = new CascadeNet(tiny(), 68, 32);
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            // Per patch: conv 3->4, 3x3, stride 2 on 8x8 -> 4x4x4 outputs of 27 MACs; embedding 64 -> 5;
            // attention 5 -> 3 -> 1. Per face: 34 patches, regressor 34*5 -> 136, error head on the
            // pooled embedding 5 -> 2 -> 1.
            long perPatch = 4 * 4 * 4 * 27 + 64 * 5 + 5 * 3 + 3;
            long perFace = 34 * perPatch + 170 * 136 + 5 * 2 + 2;
            assertEquals(93_376, perFace);
            assertEquals(perFace, net.stage(0).multAdds());
            assertEquals(2 * perFace, net.multAdds(2));
        }
    }

    @Test
    void aDepthwiseConvolutionCountsOneInputChannelPerFilter() {
        TorchSetup.configure(1);
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            var dw = Layers.depthwise(8, 1);
            dw.initialize(m, DataType.FLOAT32, new Shape(1, 8, 10, 10));
            assertEquals(10 * 10 * 8 * 9, MultAdds.perRow(dw));
        }
    }
}
