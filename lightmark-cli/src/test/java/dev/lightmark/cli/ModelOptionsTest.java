package dev.lightmark.cli;

import dev.lightmark.infer.BundledModels;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ModelOptionsTest {
    /** Every command, subcommands included, whose --model is the shared one (ModelOptions). */
    private static List<CommandLine> commandsWithModel() {
        List<CommandLine> out = new ArrayList<>();
        collect(new CommandLine(new Main()), out);
        return out;
    }

    private static void collect(CommandLine c, List<CommandLine> out) {
        CommandLine.Model.OptionSpec o = c.getCommandSpec().findOption("--model");
        if (o != null && o.description().length > 0 && o.description()[0].equals(ModelOptions.MODEL_HELP)) out.add(c);
        c.getSubcommands().values().forEach(s -> collect(s, out));
    }

    @Test
    void everyBundledNameIsInTheModelHelp() {
        for (String name : BundledModels.all().keySet())
            assertTrue(ModelOptions.MODEL_HELP.contains(name + ",") || ModelOptions.MODEL_HELP.contains(name + ")"),
                    "bundled model '" + name + "' is not named in --model's help: " + ModelOptions.MODEL_HELP);
    }

    @Test
    void theCommandsThatRunALandmarkModelShareOneModelOption() {
        List<String> names = commandsWithModel().stream().map(c -> c.getCommandSpec().qualifiedName(" ")).toList();
        for (String expected : List.of("eval", "bench", "calibrate", "quality fit", "detect", "video", "jitter"))
            assertTrue(names.stream().anyMatch(n -> n.endsWith(expected)), expected + " lacks the shared --model option: " + names);
    }

    @Test
    void optionsParseIntoTheMixins() {
        EvalCommand eval = new EvalCommand();
        new CommandLine(eval).parseArgs("--data", "d", "--model", "accurate", "--threads", "2", "--no-flip", "--box", "detector");
        assertEquals("accurate", eval.modelOptions.model.toString());
        assertEquals(2, eval.modelOptions.threads);
        assertEquals(Boolean.FALSE, eval.flipOption.flip);
        assertEquals(dev.lightmark.eval.ModelEvaluation.BoxSource.DETECTOR, eval.boxOption.source());
        EvalCommand plain = new EvalCommand();
        new CommandLine(plain).parseArgs("--data", "d");
        assertNull(plain.modelOptions.model, "no --model: the bundled default");
        assertNull(plain.flipOption.flip, "no --flip: the model's own choice");
        assertEquals(dev.lightmark.eval.ModelEvaluation.BoxSource.GROUND_TRUTH, plain.boxOption.source());
        BoxOption bad = new BoxOption();
        bad.box = "tight";
        assertTrue(assertThrows(IllegalArgumentException.class, bad::source).getMessage().contains("gt or detector"));
    }
}
