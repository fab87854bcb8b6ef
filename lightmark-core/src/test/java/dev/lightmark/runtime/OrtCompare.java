package dev.lightmark.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Network-only timing of several ONNX files of one input size side by side: one thread, batch 1,
 * Lightmark's session settings, rounds of 50 calls per file in turn (so a noisy host slows all of
 * them alike), medians and lower percentiles. Not a test: a tool for BENCHMARKS.md, run from a build:
 *
 * <pre>java -cp "lightmark-core/target/test-classes:lightmark-cli/target/lib/*" dev.lightmark.runtime.OrtCompare SIZE ROUNDS A.onnx B.onnx ...</pre>
 */
public final class OrtCompare {
    private OrtCompare() {}

    public static void main(String[] args) throws Exception {
        int side = Integer.parseInt(args[0]), rounds = Integer.parseInt(args[1]);
        System.out.println("cpu: " + CpuInfo.current().describe());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<OrtSession> sessions = new ArrayList<>();
        for (int i = 2; i < args.length; i++)
            try (OrtSession.SessionOptions so = OrtSessions.options(1)) {
                sessions.add(env.createSession(args[i], so));
            }
        float[] input = new float[3 * side * side];
        Random r = new Random(1);
        for (int i = 0; i < input.length; i++) input[i] = r.nextFloat() * 2 - 1;
        List<List<Double>> ms = new ArrayList<>();
        for (int k = 0; k < sessions.size(); k++) ms.add(new ArrayList<>());
        for (int round = 0; round <= rounds; round++)   // round 0 warms up
            for (int k = 0; k < sessions.size(); k++)
                for (int i = 0; i < 50; i++) {
                    double t = OrtSpeed.run(env, sessions.get(k), input, side, 1);
                    if (round > 0) ms.get(k).add(t);
                }
        for (int k = 0; k < sessions.size(); k++) {
            List<Double> v = ms.get(k);
            Collections.sort(v);
            System.out.printf(Locale.ROOT, "median %.3f ms, p10 %.3f, p25 %.3f (%d runs)  %s%n", v.get(v.size() / 2), v.get(v.size() / 10),
                    v.get(v.size() / 4), v.size(), args[k + 2]);
            sessions.get(k).close();
        }
    }
}
