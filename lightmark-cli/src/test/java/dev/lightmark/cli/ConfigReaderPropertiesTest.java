package dev.lightmark.cli;

import dev.lightmark.model.cascade.CascadeConfig;
import dev.lightmark.train.CommonTrainingConfig;
import dev.lightmark.model.hourglass.HeatmapConfig;
import dev.lightmark.model.pfld.TrainConfig;
import dev.lightmark.model.tsal.TsalConfig;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Property tests of the training-config reader (issue 14's abuse suite): any JSON object built
 * from the configs' own field names (and some unknown ones) with values of any type and size is
 * either a config that passes its checks or refused with one line naming the file, never another
 * exception (no NullPointerException from a null field, no overflow).
 */
class ConfigReaderPropertiesTest {
    private static final List<String> FIELDS = fieldNames();

    @Property(tries = 400)
    void anyConfigFileIsReadAndCheckedOrRefusedInOneLine(@ForAll("configText") String json) throws IOException {
        Path f = Files.createTempFile("lightmark-config-", ".json");
        try {
            Files.writeString(f, json);
            for (boolean cascade : new boolean[]{false, true}) {
                try {
                    CommonTrainingConfig cfg = cascade ? CascadeConfig.read(f) : TrainCommand.readConfig(f);
                    cfg.validate(f);
                } catch (IllegalArgumentException e) {
                    String m = e.getMessage();
                    assertNotNull(m);
                    assertFalse(m.contains("\n"), "one line: " + m);
                    assertTrue(m.contains(f.toString()), "names the file: " + m);
                }
            }
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Provide
    Arbitrary<String> configText() {
        return Arbitraries.longs().map(seed -> {
            Random r = new Random(seed);
            StringBuilder sb = new StringBuilder("{");
            List<String> used = new ArrayList<>();
            if (r.nextInt(3) > 0) {
                String[] arch = {"pfld", "efficientnet", "hourglass", "tsal", "cascade", "", "PFLD"};
                sb.append("\"architecture\": ").append(r.nextInt(8) == 0 ? "null" : "\"" + arch[r.nextInt(arch.length)] + "\"");
                used.add("architecture");
            }
            for (int i = 0, n = r.nextInt(6); i < n; i++) {
                String name = r.nextInt(10) == 0 ? "unknown" + r.nextInt(3) : FIELDS.get(r.nextInt(FIELDS.size()));
                if (used.contains(name)) continue;
                used.add(name);
                if (sb.length() > 1) sb.append(", ");
                sb.append('"').append(name).append("\": ").append(value(r, 0));
            }
            return sb.append('}').toString();
        });
    }

    private static String value(Random r, int depth) {
        return switch (r.nextInt(depth > 1 ? 8 : 10)) {
            case 0 -> "null";
            case 1 -> String.valueOf(r.nextBoolean());
            case 2 -> String.valueOf(r.nextInt(7) - 3);
            case 3 -> String.valueOf((long) (r.nextGaussian() * 1e12));
            case 4 -> r.nextBoolean() ? "1e39" : "-1e-45";
            case 5 -> String.valueOf(r.nextGaussian() * 10);
            case 6 -> "\"" + (r.nextBoolean() ? "" : "x" + r.nextInt(10)) + "\"";
            case 7 -> String.valueOf(Integer.MAX_VALUE + (long) r.nextInt(3));
            case 8 -> "[" + value(r, depth + 1) + ", " + value(r, depth + 1) + "]";
            default -> "{\"stages\": " + value(r, depth + 1) + "}";
        };
    }

    /** Every public instance field of the four training configs and the cascade layout. */
    private static List<String> fieldNames() {
        TreeSet<String> names = new TreeSet<>();
        for (Class<?> c : List.of(TrainConfig.class, HeatmapConfig.class, TsalConfig.class, CascadeConfig.class,
                dev.lightmark.model.cascade.CascadeSpec.class))
            for (Field f : c.getFields())
                if (!Modifier.isStatic(f.getModifiers())) names.add(f.getName());
        return List.copyOf(names);
    }
}
