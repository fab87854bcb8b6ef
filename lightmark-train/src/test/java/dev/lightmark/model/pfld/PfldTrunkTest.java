package dev.lightmark.model.pfld;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lightmark.model.layers.TorchSetup;
import dev.lightmark.model.tsal.TsalNet;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PFLD and the TSAL net build their trunk with {@link PfldTrunk}; their parameter names, order and
 * shapes (what .lmk files hold) must stay those of the models already trained. The digests are of
 * the lists read from pfld-300w.lmk and from a trained TSAL model (width 0.25, 68 points).
 */
class PfldTrunkTest {
    private static String layout(Block net) throws Exception {
        TorchSetup.configure(1);
        StringBuilder s = new StringBuilder();
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 112, 112));
            for (var p : net.getParameters()) s.append(p.getKey()).append(' ').append(p.getValue().getArray().getShape()).append('\n');
        }
        byte[] d = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
        return net.getParameters().size() + " " + HexFormat.of().formatHex(d);
    }

    @Test
    void pfldKeepsItsParameterLayout() throws Exception {
        assertEquals("241 1f94a3981f2a45e90ed7462fc66f9951e36d181f9b48f27199c6a0fbd8086d41", layout(new PfldNet(68, 0.25f)));
    }

    @Test
    void tsalKeepsItsParameterLayout() throws Exception {
        assertEquals("239 5e1207a1cfae6807ab9c39ed324b1d4167e2f6e9f8e1abfa06ff6a747c593ac0", layout(new TsalNet(68, 0.25f, 1.5f, 0.1f)));
    }
}
