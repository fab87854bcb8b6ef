package dev.lightmark.cli;

import dev.lightmark.infer.BundledModels;
import dev.lightmark.testdata.CliRunner;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelsCommandTest {
    @Test
    void listsEveryBundledNameWithItsDescriptionAndTheCpu() {
        CliRunner.Run r = CliRunner.run("models", "--check");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("cpu: "), r.out());
        for (BundledModels.Entry e : BundledModels.all().values()) {
            assertTrue(r.out().contains(e.name() + " ") && r.out().contains(e.description()), e.name() + " missing in\n" + r.out());
        }
        assertTrue(r.out().contains("hourglass, 96 px input"), "balanced loads as the 96 px hourglass:\n" + r.out());
        assertTrue(r.out().contains("used when --model is absent"), r.out());
        assertTrue(r.out().contains("within dlib's per-face time on this CPU, most accurate: "), r.out());
    }

    @Test
    void theRecommendationFollowsTheMeasuredCpuKinds() {
        assertTrue(ModelsCommand.withinDlibTime(cpu("AMD EPYC 9R14", "avx2 avx512f avx512_vnni")).startsWith("default ("));
        assertTrue(ModelsCommand.withinDlibTime(cpu("Intel(R) Xeon(R) Processor", "avx2 avx512f avx512_vnni")).startsWith("fast --no-flip"));
        assertTrue(ModelsCommand.withinDlibTime(cpu("AMD EPYC 7R13", "avx avx2 fma")).startsWith("balanced"));
        assertTrue(ModelsCommand.withinDlibTime(cpu("test", "avx2 avx512f avx512_vnni")).startsWith("default, balanced or fast"));
        assertTrue(ModelsCommand.withinDlibTime(cpu("AMD EPYC", "avx2 avx512f")).startsWith("default, balanced or fast"));
        assertTrue(ModelsCommand.withinDlibTime(cpu("test", "avx2 avx_vnni")).startsWith("default, balanced or fast"));
        assertTrue(ModelsCommand.withinDlibTime(new dev.lightmark.runtime.CpuInfo("x", 1, java.util.Set.of())).startsWith("unknown"));
    }

    private static dev.lightmark.runtime.CpuInfo cpu(String model, String flags) {
        return new dev.lightmark.runtime.CpuInfo(model, 2, java.util.Set.of(flags.split(" ")));
    }
}
