package dev.lightmark.train;

import dev.lightmark.testdata.TorchTest;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class RmsPropTest extends TorchTest {
    /** y = X w* + b* exactly; minimising the mean squared error is a convex quadratic. */
    private static final float[] W_TRUE = {1.5f, -2f, 0.5f, 3f};
    private static final float B_TRUE = 0.7f;

    private static NDArray[] data(NDManager mm) {
        java.util.Random r = new java.util.Random(3);
        float[] x = new float[32 * 4], y = new float[32];
        for (int i = 0; i < 32; i++) {
            float s = B_TRUE;
            for (int j = 0; j < 4; j++) {
                x[4 * i + j] = (float) r.nextGaussian();
                s += W_TRUE[j] * x[4 * i + j];
            }
            y[i] = s;
        }
        return new NDArray[]{mm.create(x, new Shape(32, 4)), mm.create(y, new Shape(32, 1))};
    }

    private static Linear model(NDManager mm) {
        Engine.getEngine("PyTorch").setRandomSeed(11);
        Linear l = Linear.builder().setUnits(1).build();
        l.initialize(mm, DataType.FLOAT32, new Shape(32, 4));
        return l;
    }

    private static float train(Linear net, RmsProp opt, NDManager mm, int steps, float lr, float decay) {
        ParameterStore ps = new ParameterStore(mm, false);
        float loss = 0;
        for (int i = 0; i < steps; i++) {
            try (NDManager step = mm.newSubManager()) {
                NDArray[] d = data(step);
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray l = net.forward(ps, new NDList(d[0]), true).singletonOrThrow().sub(d[1]).square().mean();
                    gc.backward(l);
                    loss = l.getFloat();
                }
                opt.step(lr, decay, step);
            }
        }
        return loss;
    }

    @Test
    void minimisesAQuadraticWithAndWithoutMomentum() {
        for (float momentum : new float[]{0f, 0.9f}) {
            try (NDManager mm = m.newSubManager()) {
                Linear net = model(mm);
                RmsProp opt = new RmsProp(net.getParameters(), mm, momentum);
                float lr = momentum > 0 ? 0.005f : 0.05f;
                float first = train(net, opt, mm, 1, lr, 0f);
                // RMSprop's step is about lr in size whatever the gradient, so it needs decay to settle.
                train(net, opt, mm, 200, lr, 0f);
                train(net, opt, mm, 100, lr / 10, 0f);
                float last = train(net, opt, mm, 100, lr / 100, 0f);
                assertTrue(last < 1e-3f * first, "momentum " + momentum + ": loss " + first + " -> " + last);
                float[] w = net.getParameters().get("weight").getArray().toFloatArray();
                for (int j = 0; j < 4; j++) assertEquals(W_TRUE[j], w[j], 0.05f, "momentum " + momentum + " loss " + last + " weight " + j);
                assertEquals(401, opt.steps());
            }
        }
    }

    @Test
    void weightDecayShrinksWeightsButNotTheBias() {
        try (NDManager mm = m.newSubManager()) {
            Linear net = model(mm);
            RmsProp opt = new RmsProp(net.getParameters(), mm, 0f);
            train(net, opt, mm, 400, 0.01f, 5f);
            float[] w = net.getParameters().get("weight").getArray().toFloatArray();
            double norm = 0, trueNorm = 0;
            for (int j = 0; j < 4; j++) {
                norm += w[j] * w[j];
                trueNorm += W_TRUE[j] * W_TRUE[j];
            }
            assertTrue(norm < 0.8 * trueNorm, "decay should shrink |w|^2: " + norm + " vs " + trueNorm);
        }
    }

    /** 10 straight steps equal 5 steps, a save, a fresh optimiser restored from it, and 5 more. */
    @Test
    void stateRoundTripsForAnExactResume() {
        for (float momentum : new float[]{0f, 0.9f}) {
            try (NDManager mm = m.newSubManager()) {
                Linear a = model(mm);
                train(a, new RmsProp(a.getParameters(), mm, momentum), mm, 10, 0.01f, 1e-3f);

                Linear b = model(mm);
                RmsProp first = new RmsProp(b.getParameters(), mm, momentum);
                train(b, first, mm, 5, 0.01f, 1e-3f);
                byte[] saved = first.state(mm).encode();
                RmsProp second = new RmsProp(b.getParameters(), mm, momentum);
                second.restore(NDList.decode(mm, saved));
                assertEquals(5, second.steps());
                train(b, second, mm, 5, 0.01f, 1e-3f);

                assertArrayEquals(a.getParameters().get("weight").getArray().toFloatArray(),
                        b.getParameters().get("weight").getArray().toFloatArray(), "momentum " + momentum);
                assertArrayEquals(a.getParameters().get("bias").getArray().toFloatArray(),
                        b.getParameters().get("bias").getArray().toFloatArray());
            }
        }
    }

    @Test
    void restoreRejectsAStateOfAnotherShape() {
        try (NDManager mm = m.newSubManager()) {
            Linear a = model(mm);
            NDList withMomentum = new RmsProp(a.getParameters(), mm, 0.9f).state(mm);
            RmsProp plain = new RmsProp(a.getParameters(), mm, 0f);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> plain.restore(withMomentum));
            assertTrue(e.getMessage().contains("expected"));
        }
    }

    @Test
    void scheduleWarmsUpThenDecaysInSteps() {
        StepSchedule s = new StepSchedule(1e-3f, 2, new int[]{30, 10}, 0.1f);
        assertEquals(1e-3f / 20, s.at(0, 0, 10), 1e-9f);          // first of 20 warm-up steps
        assertTrue(s.at(0, 9, 10) < s.at(1, 9, 10));
        assertEquals(1e-3f, s.at(1, 9, 10), 1e-9f);               // last warm-up step reaches the base
        assertEquals(1e-3f, s.at(9, 5, 10), 1e-9f);
        assertEquals(1e-4f, s.at(10, 0, 10), 1e-9f);              // epochs are sorted: 10 first
        assertEquals(1e-5f, s.at(35, 0, 10), 1e-10f);
        assertThrows(IllegalArgumentException.class, () -> new StepSchedule(1e-3f, 0, new int[0], 1.5f));
    }
}
