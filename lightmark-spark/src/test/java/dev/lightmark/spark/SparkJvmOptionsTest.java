package dev.lightmark.spark;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** The module openings in jvm-options.txt (read by bin/lightmark) are the ones this test JVM got from surefire. */
class SparkJvmOptionsTest {
    @Test
    void everyOpeningOfTheLauncherIsInEffect() throws Exception {
        String options;
        try (InputStream in = SparkDetect.class.getResourceAsStream("/dev/lightmark/spark/jvm-options.txt")) {
            assertNotNull(in, "jvm-options.txt not on the class path");
            options = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        assertFalse(options.contains("${"), "not filtered: " + options);
        Matcher m = Pattern.compile("--add-opens=([\\w.]+)/([\\w.]+)=ALL-UNNAMED").matcher(options);
        Module unnamed = SparkJvmOptionsTest.class.getClassLoader().getUnnamedModule();
        int n = 0;
        while (m.find()) {
            Module mod = ModuleLayer.boot().findModule(m.group(1)).orElseThrow();
            assertTrue(mod.isOpen(m.group(2), unnamed), m.group(0) + " is not in effect");
            n++;
        }
        assertTrue(n >= 15, "only " + n + " openings in " + options);
        for (String p : List.of("java.base/sun.nio.ch", "java.base/java.nio", "java.base/java.lang", "java.base/java.util",
                "java.base/sun.util.calendar"))
            assertTrue(options.contains("--add-opens=" + p + "=ALL-UNNAMED"), p);
    }
}
