package dev.lightmark.model.hourglass;

import dev.lightmark.testdata.TorchTest;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.lightmark.augment.CropPolicy;
import dev.lightmark.data.FaceSample;
import dev.lightmark.data.PtsFolder;
import dev.lightmark.heatmap.GaussianHeatmaps;
import dev.lightmark.heatmap.HeatmapEncoding;
import dev.lightmark.train.HeatmapLoss;
import dev.lightmark.image.Images;
import dev.lightmark.image.Warp;
import dev.lightmark.landmarks.Landmarks;

import dev.lightmark.testdata.SyntheticFaces;
import dev.lightmark.train.RmsProp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class HourglassNetTest extends TorchTest {
    @TempDir Path dir;

    @Test
    void upsamplingRepeatsEachValueTwiceAlongBothAxes() {
        NDArray x = m.create(new float[]{1, 2, 3, 4}, new Shape(1, 1, 2, 2));
        assertArrayEquals(new float[]{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4},
                Hourglass.doubleSize(x).toFloatArray());
        assertEquals(new Shape(1, 1, 1, 1), Hourglass.halve(x).getShape());
        assertEquals(4f, Hourglass.halve(x).getFloat());
    }

    @Test
    void coordConvAppendsPixelCentresInMinusOneToOne() {
        AddCoords a = new AddCoords();
        a.initialize(m, DataType.FLOAT32, new Shape(2, 3, 2, 4));
        NDArray y = a.forward(new ParameterStore(m, false), new NDList(m.zeros(new Shape(2, 3, 2, 4))), false).singletonOrThrow();
        assertEquals(new Shape(2, 5, 2, 4), y.getShape());
        assertArrayEquals(new float[]{-0.75f, -0.25f, 0.25f, 0.75f, -0.75f, -0.25f, 0.25f, 0.75f},
                y.get("1, 3").toFloatArray(), 1e-6f);   // x channel of the second face
        assertArrayEquals(new float[]{-0.5f, -0.5f, -0.5f, -0.5f, 0.5f, 0.5f, 0.5f, 0.5f},
                y.get("1, 4").toFloatArray(), 1e-6f);   // y channel
    }

    @Test
    void attentionBlocksKeepTheShapeAndGateInZeroToOne() {
        NDArray x = m.randomUniform(0.5f, 1f, new Shape(2, 16, 8, 6));
        for (ai.djl.nn.Block b : new ai.djl.nn.Block[]{new CoordinateAttention(16, 32), new SqueezeExcitation(16, 16)}) {
            b.initialize(m, DataType.FLOAT32, x.getShape());
            NDArray y = b.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            assertEquals(x.getShape(), y.getShape());
            NDArray ratio = y.div(x);
            assertTrue(ratio.min().getFloat() > 0f && ratio.max().getFloat() < 1f, b.getClass().getSimpleName());
        }
    }

    @Test
    void forwardGivesOneQuarterSizeHeatmapsPerStack() {
        for (int input : new int[]{128, 256}) {
            try (NDManager mm = m.newSubManager()) {
                HourglassNet net = new HourglassNet(2, 3, 16, 68, HourglassNet.Options.ALL);
                net.initialize(mm, DataType.FLOAT32, new Shape(1, 3, input, input));
                ParameterStore ps = new ParameterStore(mm, false);
                NDArray x = mm.randomUniform(-1f, 1f, new Shape(2, 3, input, input));
                NDList train = net.forward(ps, new NDList(x), true);
                assertEquals(2, train.size(), "one heatmap output per stack in training");
                for (NDArray h : train) assertEquals(new Shape(2, 68, input / 4, input / 4), h.getShape());
                NDList infer = net.forward(ps, new NDList(x), false);
                assertEquals(1, infer.size());
                assertEquals(new Shape(2, 68, input / 4, input / 4), infer.get(0).getShape());
                assertArrayEquals(new Shape[]{new Shape(2, 68, input / 4, input / 4)}, net.getOutputShapes(new Shape[]{x.getShape()}));
            }
        }
    }

    @Test
    void inputsThatDoNotHalveEvenlyAreRejected() {
        HourglassNet net = new HourglassNet(1, 4, 16, 68, HourglassNet.Options.NONE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 96, 96)));
        assertTrue(e.getMessage().contains("divisible by 64"), e.getMessage());
    }

    @Test
    void optionsAddParameters() {
        long none = params(HourglassNet.Options.NONE), all = params(HourglassNet.Options.ALL);
        long coords = params(new HourglassNet.Options(true, false, false));
        assertEquals(none + 2 * 3 * 3 * 16, coords, "CoordConv adds two input channels to the first 3x3 conv");
        assertTrue(all > coords);
    }

    private long params(HourglassNet.Options o) {
        try (NDManager mm = m.newSubManager()) {
            HourglassNet net = new HourglassNet(1, 2, 32, 5, o);
            net.initialize(mm, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            return net.trainableParameters();
        }
    }

    /** 20 RMSprop steps on 4 synthetic faces bring the weighted heatmap loss (all stacks) well below that of blank maps. */
    @Test
    void aFewTrainingStepsReduceTheWeightedHeatmapLoss() throws Exception {
        int size = 128, hm = 32, n = 4;
        Path data = SyntheticFaces.write(dir.resolve("faces"), n, 128, 9);
        List<FaceSample> faces = PtsFolder.load(data, 68).samples();
        CropPolicy crop = new CropPolicy(size, 1.25f);
        GaussianHeatmaps enc = new GaussianHeatmaps(hm, 1.5f, HeatmapEncoding.OFFSET);
        float[] images = new float[n * 3 * size * size], maps = new float[n * 68 * hm * hm];
        for (int i = 0; i < n; i++) {
            FaceSample f = faces.get(i);
            BufferedImage img = Images.read(f.image());
            var toCrop = crop.toCrop(f.faceBox(), 0f);
            float[] chw = Warp.toChw(Warp.pixels(img), img.getWidth(), img.getHeight(), toCrop, size);
            for (int j = 0; j < chw.length; j++) images[i * chw.length + j] = (chw[j] - 127.5f) / 128f;
            Landmarks lm = f.landmarks().transform(toCrop);
            float[] xy = lm.toArray();
            for (int j = 0; j < xy.length; j++) xy[j] *= (float) hm / size;
            enc.encode(xy, maps, i * 68 * hm * hm);
        }
        try (NDManager mm = m.newSubManager()) {
            Engine.getEngine("PyTorch").setRandomSeed(1);
            HourglassNet net = new HourglassNet(2, 3, 32, 68, HourglassNet.Options.ALL);
            net.initialize(mm, DataType.FLOAT32, new Shape(1, 3, size, size));
            RmsProp opt = new RmsProp(net.getParameters(), mm, 0f);
            ParameterStore ps = new ParameterStore(mm, false);
            float first = 0, last = 0;
            for (int step = 0; step < 20; step++) {
                try (NDManager s = mm.newSubManager()) {
                    NDArray x = s.create(images, new Shape(n, 3, size, size));
                    NDArray y = s.create(maps, new Shape(n, 68, hm, hm));
                    try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                        NDArray loss = null;
                        for (NDArray h : net.forward(ps, new NDList(x), true)) {
                            NDArray l = HeatmapLoss.compute(HeatmapLoss.Settings.WEIGHTED_MSE, h, y);
                            loss = loss == null ? l : loss.add(l);
                        }
                        gc.backward(loss);
                        last = loss.getFloat();
                        if (step == 0) first = last;
                    }
                    opt.step(1e-3f, 1e-5f, s);
                }
            }
            float zero;
            try (NDManager s = mm.newSubManager()) {
                NDArray y = s.create(maps, new Shape(n, 68, hm, hm));
                zero = 2 * HeatmapLoss.compute(HeatmapLoss.Settings.WEIGHTED_MSE, s.zeros(y.getShape()), y).getFloat();
            }
            System.out.printf("hourglass 4 faces: loss %.5f -> %.5f (all-zero maps: %.5f)%n", first, last, zero);
            // Heads start near blank maps; learning must take the loss well below blank maps' loss.
            assertTrue(last < 0.4f * first && last < 0.4f * zero, "loss " + first + " -> " + last + ", blank maps " + zero);
        }
    }
}
