package dev.lightmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lightmark.model.cascade.CostPlot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Plot NME against mult-adds per face (PNG): cascade sweeps beside other models and reference levels.")
final class CascadePlotCommand implements Callable<Integer> {
    @Option(names = "--sweep", description = "LABEL=FILE: a 'cascade sweep --json' file; its stage counts become a line, its exit thresholds points",
            required = true)
    Map<String, Path> sweeps;

    @Option(names = "--model", description = "LABEL=MULTADDS:NME, a single model (mult-adds per face, NME as a fraction), e.g. PFLD=35.2e6:0.0389")
    Map<String, String> models = Map.of();

    @Option(names = "--level", description = "LABEL=NME: a method known only by its NME (dashed line), e.g. dlib=0.032")
    Map<String, Double> levels = Map.of();

    @Option(names = "--title", defaultValue = "NME vs mult-adds per face", description = "Plot title")
    String title;

    @Option(names = "--out", required = true, description = "PNG to write")
    Path out;

    @Override
    public Integer call() throws Exception {
        ObjectMapper m = new ObjectMapper();
        CostPlot plot = new CostPlot().title(title);
        for (var e : sweeps.entrySet()) {
            if (!Files.isRegularFile(e.getValue())) throw new IllegalArgumentException("sweep file not found: " + e.getValue());
            JsonNode root = m.readTree(e.getValue().toFile());
            if (!root.has("rows")) throw new IllegalArgumentException(e.getValue() + ": not a 'cascade sweep --json' file (no rows)");
            List<CostPlot.Point> fixed = new ArrayList<>(), exit = new ArrayList<>();
            for (JsonNode r : root.get("rows")) {
                double t = r.get("threshold").asDouble();
                if (t > 0) exit.add(new CostPlot.Point(r.get("multAdds").asDouble(), r.get("nme").asDouble(),
                        String.format(Locale.ROOT, "T=%.4f", t)));
                else fixed.add(new CostPlot.Point(r.get("multAdds").asDouble(), r.get("nme").asDouble(), r.get("maxStages").asInt() + ""));
            }
            plot.line(e.getKey() + ", stages", fixed);
            if (!exit.isEmpty()) plot.points(e.getKey() + ", early exit", exit);
        }
        for (var e : models.entrySet()) {
            String[] p = e.getValue().split(":");
            if (p.length != 2) throw new IllegalArgumentException("--model wants LABEL=MULTADDS:NME, got " + e.getKey() + "=" + e.getValue());
            plot.points(e.getKey(), List.of(new CostPlot.Point(Double.parseDouble(p[0]), Double.parseDouble(p[1]), "")));
        }
        levels.forEach(plot::level);
        plot.write(out);
        System.out.println("plot: " + out);
        return 0;
    }
}
