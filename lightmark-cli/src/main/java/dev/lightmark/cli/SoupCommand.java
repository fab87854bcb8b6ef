package dev.lightmark.cli;

import dev.lightmark.infer.ModelSpec;
import dev.lightmark.train.ModelSoup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "soup", mixinStandardHelpOptions = true,
        description = {"Average the weights of trained models of one network into one model (a model soup): one "
                + "network's cost. It works for models that share a start (fine-tunes of one model, snapshots of one run); "
                + "measure the soup on validation faces (eval --only) before you use it.",
                "Example: lightmark soup --model runs/a/best.lmk --model runs/b/best.lmk --out soup.lmk"})
final class SoupCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "A trained model (.lmk); give two or more")
    List<Path> models;

    @Option(names = "--weight", description = "Share of each --model, in order (default: equal shares)")
    double[] weights;

    @Option(names = "--out", required = true, description = "Model file (.lmk) to write")
    Path out;

    @Override
    public Integer call() throws Exception {
        ModelSpec spec = ModelSoup.mix(models, weights, out);
        System.out.println("wrote " + out + " (" + spec.trainedOn + ")");
        return 0;
    }
}
