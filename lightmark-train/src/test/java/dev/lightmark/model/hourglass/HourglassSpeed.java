package dev.lightmark.model.hourglass;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.lightmark.heatmap.GaussianHeatmaps;
import dev.lightmark.heatmap.HeatmapEncoding;
import dev.lightmark.model.layers.TorchSetup;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: parameter count and DJL forward time (batch 1, one thread) of hourglass configs.
 * Run: java -cp target/classes:target/test-classes:target/lib/* dev.lightmark.model.hourglass.HourglassSpeed [seconds]
 */
public final class HourglassSpeed {
    public static void main(String[] args) {
        TorchSetup.configure(1);
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        record Cfg(int input, int stacks, int depth, int channels, HourglassNet.Options o, String label) {}
        HourglassNet.Options all = HourglassNet.Options.ALL, none = HourglassNet.Options.NONE;
        List<Cfg> cfgs = List.of(
                new Cfg(256, 2, 3, 64, all, "default"),
                new Cfg(256, 2, 3, 64, none, "no CoordConv/CA/SE"),
                new Cfg(256, 1, 3, 64, all, ""),
                new Cfg(256, 2, 4, 64, all, ""),
                new Cfg(256, 2, 3, 32, all, ""),
                new Cfg(128, 2, 3, 64, all, ""),
                new Cfg(128, 2, 3, 32, all, ""),
                new Cfg(128, 1, 3, 32, all, ""),
                new Cfg(256, 4, 4, 128, all, "heavier reference"));
        System.out.println("| input | stacks | depth | channels | options | trainable params | forward ms/face (median, batch 1, 1 thread) |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Cfg c : cfgs) {
            try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
                Engine.getEngine("PyTorch").setRandomSeed(1);
                HourglassNet net = new HourglassNet(c.stacks(), c.depth(), c.channels(), 68, c.o());
                net.initialize(m, DataType.FLOAT32, new Shape(1, 3, c.input(), c.input()));
                ParameterStore ps = new ParameterStore(m, false);
                float[] in = new float[3 * c.input() * c.input()];
                java.util.Arrays.fill(in, 0.1f);
                List<Double> t = new ArrayList<>();
                long end = 0;
                for (int i = 0; ; i++) {
                    if (i == 3) end = System.nanoTime() + (long) (seconds * 1e9);   // 3 warm-up runs
                    long t0 = System.nanoTime();
                    try (NDManager s = m.newSubManager()) {
                        net.forward(ps, new NDList(s.create(in, new Shape(1, 3, c.input(), c.input()))), false).get(0).toFloatArray();
                    }
                    if (i >= 3) t.add((System.nanoTime() - t0) / 1e6);
                    if (i >= 3 && System.nanoTime() > end && t.size() >= 5) break;
                }
                t.sort(null);
                String opts = (c.o().coordConv() ? "CC " : "") + (c.o().coordAttention() ? "CA " : "") + (c.o().squeezeExcitation() ? "SE" : "");
                System.out.printf(Locale.ROOT, "| %d | %d | %d | %d | %s | %,d | %.1f (%d runs)%s |%n", c.input(), c.stacks(), c.depth(), c.channels(),
                        opts.isBlank() ? "none" : opts.trim(), net.trainableParameters(), t.get(t.size() / 2), t.size(),
                        c.label().isEmpty() ? "" : " " + c.label());
            }
        }
        for (int hm : new int[]{64, 32}) {
            GaussianHeatmaps g = new GaussianHeatmaps(hm, 1.5f, HeatmapEncoding.OFFSET);
            float[] xy = new float[136];
            java.util.Random r = new java.util.Random(1);
            for (int i = 0; i < xy.length; i++) xy[i] = 4 + (hm - 8) * r.nextFloat();
            float[] maps = g.encode(xy);
            for (int i = 0; i < 200; i++) g.decode(maps, 0, 68);
            long t0 = System.nanoTime();
            for (int i = 0; i < 500; i++) g.decode(maps, 0, 68);
            System.out.printf(Locale.ROOT, "decode 68 maps %dx%d: %.3f ms/face%n", hm, hm, (System.nanoTime() - t0) / 1e6 / 500);
        }
    }
}
