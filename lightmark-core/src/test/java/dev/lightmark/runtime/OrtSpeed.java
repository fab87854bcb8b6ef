package dev.lightmark.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Network-only timing of an ONNX file on ONNX Runtime at each graph optimisation level and with
 * two run-time switches (one thread, batch 1, interleaved rounds, medians), a batch of two (the
 * flip test's call), then the share of kernel time per operator type and the slowest nodes from
 * ORT's profiler at the level Lightmark uses. Not a test: a tool for BENCHMARKS.md ("Speed by
 * CPU"), run from a build:
 *
 * <pre>java -cp "lightmark-core/target/test-classes:lightmark-cli/target/lib/*" dev.lightmark.runtime.OrtSpeed MODEL.onnx SIZE</pre>
 */
public final class OrtSpeed {
    private OrtSpeed() {}

    public static void main(String[] args) throws Exception {
        String model = args[0];
        int side = Integer.parseInt(args[1]);
        System.out.println("cpu: " + CpuInfo.current().describe());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] input = new float[3 * side * side];
        Random r = new Random(1);
        for (int i = 0; i < input.length; i++) input[i] = r.nextFloat() * 2 - 1;
        Map<String, OrtSession> sessions = new LinkedHashMap<>();
        for (OrtSession.SessionOptions.OptLevel level : new OrtSession.SessionOptions.OptLevel[]{
                OrtSession.SessionOptions.OptLevel.ALL_OPT, OrtSession.SessionOptions.OptLevel.EXTENDED_OPT,
                OrtSession.SessionOptions.OptLevel.BASIC_OPT})
            sessions.put(level.name(), session(env, model, level, null, Map.of()));
        // Run-time switches that do not change the graph: flushing denormal floats to zero (slow
        // on some x86 cores) and the intra-op thread pool's spinning.
        sessions.put("ALL+denormal0", session(env, model, OrtSession.SessionOptions.OptLevel.ALL_OPT, null,
                Map.of("session.set_denormal_as_zero", "1")));
        sessions.put("ALL+nospin", session(env, model, OrtSession.SessionOptions.OptLevel.ALL_OPT, null,
                Map.of("session.intra_op.allow_spinning", "0")));
        Map<String, List<Double>> ms = new LinkedHashMap<>();
        for (int round = 0; round < 6; round++)   // round 0 warms up
            for (var e : sessions.entrySet())
                for (int i = 0; i < 60; i++) {
                    double t = run(env, e.getValue(), input, side, 1);
                    if (round > 0) ms.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(t);
                }
        for (var e : ms.entrySet()) {
            List<Double> v = e.getValue();
            Collections.sort(v);
            System.out.printf(Locale.ROOT, "%-13s median %.3f ms, p10 %.3f ms (%d runs)%n", e.getKey(), v.get(v.size() / 2), v.get(v.size() / 10), v.size());
        }
        // The flip test runs a face and its mirror as one batch of two.
        float[] pair = new float[2 * input.length];
        System.arraycopy(input, 0, pair, 0, input.length);
        System.arraycopy(input, 0, pair, input.length, input.length);
        List<Double> two = new ArrayList<>();
        for (int i = 0; i < 360; i++) {
            double t = run(env, sessions.get("ALL_OPT"), pair, side, 2);
            if (i >= 60) two.add(t);
        }
        Collections.sort(two);
        System.out.printf(Locale.ROOT, "ALL_OPT batch 2 median %.3f ms (%d runs)%n", two.get(two.size() / 2), two.size());
        for (OrtSession s : sessions.values()) s.close();

        File dir = java.nio.file.Files.createTempDirectory("ort-profile").toFile();
        String file;
        try (OrtSession s = session(env, model, OrtSession.SessionOptions.OptLevel.ALL_OPT, dir + "/p", Map.of())) {
            for (int i = 0; i < 300; i++) run(env, s, input, side, 1);
            file = s.endProfiling();
        }
        Map<String, Double> byOp = new TreeMap<>(), byNode = new TreeMap<>();
        Map<String, String> nodeShape = new TreeMap<>();
        int runs = 0;
        for (JsonNode ev : new ObjectMapper().readTree(new File(file))) {
            if ("Session".equals(ev.path("cat").asText()) && "model_run".equals(ev.path("name").asText())) runs++;
            if ("Node".equals(ev.path("cat").asText()) && ev.path("name").asText().endsWith("_kernel_time")) {
                byOp.merge(ev.path("args").path("op_name").asText(), ev.path("dur").asDouble(), Double::sum);
                String node = ev.path("name").asText().replace("_kernel_time", "");
                byNode.merge(node, ev.path("dur").asDouble(), Double::sum);
                nodeShape.put(node, ev.path("args").path("op_name").asText() + " " + ev.path("args").path("output_type_shape"));
            }
        }
        double total = byOp.values().stream().mapToDouble(Double::doubleValue).sum();
        System.out.printf(Locale.ROOT, "profile (all optimisations, %d runs): %.0f us of kernel time per run%n", runs, total / runs);
        int n = runs;
        byOp.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(12)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %-22s %5.1f %%  %7.0f us%n", e.getKey(), 100 * e.getValue() / total, e.getValue() / n));
        System.out.println("slowest nodes:");
        byNode.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(15)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %5.1f %%  %6.0f us  %s%n", 100 * e.getValue() / total, e.getValue() / n, nodeShape.get(e.getKey())));
    }

    /** A session with Lightmark's own settings (one thread), the optimisation level and profiling replaced. */
    private static OrtSession session(OrtEnvironment env, String model, OrtSession.SessionOptions.OptLevel level, String profile,
                                      Map<String, String> config) throws Exception {
        try (OrtSession.SessionOptions so = OrtSessions.options(1)) {
            so.setOptimizationLevel(level);
            for (var c : config.entrySet()) so.addConfigEntry(c.getKey(), c.getValue());
            if (profile != null) so.enableProfiling(profile);
            return env.createSession(model, so);
        }
    }

    static double run(OrtEnvironment env, OrtSession s, float[] input, int side, int batch) throws Exception {
        String name = s.getInputNames().iterator().next();
        long t0 = System.nanoTime();
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[]{batch, 3, side, side});
             OrtSession.Result ignored = s.run(Map.of(name, x))) {
            return (System.nanoTime() - t0) / 1e6;
        }
    }
}
