package dev.lightmark.cli;

import dev.lightmark.model.cascade.CascadeConfig;
import dev.lightmark.train.CommonTrainingConfig;
import dev.lightmark.model.hourglass.HeatmapConfig;
import dev.lightmark.model.pfld.TrainConfig;
import dev.lightmark.model.tsal.TsalConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** The shipped configs/ files and the rules every training config shares. */
class TrainingConfigFilesTest {
    @TempDir Path dir;

    /** How the commands read a config file: {@code cascade train} for configs/cascade-*.json, {@code train} for the rest. */
    private static CommonTrainingConfig readAsItsCommandDoes(Path file) {
        return TrainCommand.readConfig(file);   // the registry picks the type from "architecture"
    }

    /** The class a file's name promises, so that a file read by the wrong trainer is caught too. */
    private static Class<?> expectedClass(Path file) {
        String name = file.getFileName().toString();
        if (name.startsWith("cascade")) return CascadeConfig.class;
        if (file.toString().contains("hourglass")) return HeatmapConfig.class;
        if (name.startsWith("tsal")) return TsalConfig.class;
        return TrainConfig.class;
    }

    @Test
    void everyShippedConfigLoadsValidatesAndSurvivesAResumeCheck() throws Exception {
        Path configs = Path.of("configs");
        assertTrue(Files.isDirectory(configs), "configs/ not found in " + Path.of("").toAbsolutePath());
        List<Path> files;
        try (Stream<Path> s = Files.walk(configs)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no JSON files under configs/");
        List<Executable> checks = new ArrayList<>();
        Set<Class<?>> kinds = files.stream().map(TrainingConfigFilesTest::expectedClass).collect(Collectors.toSet());
        assertEquals(4, kinds.size(), "configs/ should hold all four kinds of training config: " + kinds);
        for (Path f : files) {
            checks.add(() -> {
                CommonTrainingConfig cfg = readAsItsCommandDoes(f);
                assertEquals(expectedClass(f), cfg.getClass(), f.toString());
                cfg.validate();
                // A run folder stores the config; resuming re-reads it and compares the re-serialised text.
                Path saved = dir.resolve(f);
                cfg.write(saved);
                assertEquals(cfg.toJson(), readAsItsCommandDoes(saved).toJson(), f.toString());
            });
        }
        assertAll(checks);
    }

    @Test
    void unknownFieldsAreRejectedNamingTheFieldAndTheFile() throws Exception {
        String[] architectures = {"pfld", "hourglass", "tsal"};
        for (String a : architectures) {
            Path f = Files.writeString(dir.resolve(a + ".json"), "{\"architecture\": \"" + a + "\", \"epochz\": 3}");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainCommand.readConfig(f));
            assertTrue(e.getMessage().contains("epochz") && e.getMessage().contains(f.toString()), e.getMessage());
        }
        Path c = Files.writeString(dir.resolve("cascade.json"), "{\"epochs\": 3, \"stagez\": 2}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CascadeConfig.read(c));
        assertTrue(e.getMessage().contains("stagez") && e.getMessage().contains(c.toString()), e.getMessage());
    }

    @Test
    void theCommonChecksApplyToEveryKind() {
        List<Supplier<CommonTrainingConfig>> kinds = List.of(TrainConfig::new, HeatmapConfig::new, CascadeConfig::new, TsalConfig::new);
        for (Supplier<CommonTrainingConfig> kind : kinds) {
            kind.get().validate();
            CommonTrainingConfig batch = kind.get(), epochs = kind.get(), val = kind.get();
            batch.batchSize = 0;
            epochs.epochs = 0;
            val.valFraction = 1f;
            assertTrue(assertThrows(IllegalArgumentException.class, batch::validate).getMessage().contains("batchSize"));
            assertTrue(assertThrows(IllegalArgumentException.class, epochs::validate).getMessage().contains("epochs"));
            assertTrue(assertThrows(IllegalArgumentException.class, val::validate).getMessage().contains("valFraction"));
        }
    }

    @Test
    void withoutAFileTrainUsesPfldDefaults() {
        TrainConfig c = (TrainConfig) TrainCommand.readConfig(null);
        assertEquals("pfld", c.architecture);
        assertEquals(60, c.epochs);
    }
}
