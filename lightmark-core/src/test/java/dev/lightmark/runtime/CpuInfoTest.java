package dev.lightmark.runtime;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuInfoTest {
    @Test
    void avx512WithVnni() {
        CpuInfo c = CpuInfo.parse(List.of("processor\t: 0", "model name\t: AMD EPYC 9B14",
                "flags\t\t: fpu sse2 avx avx2 fma avx512f avx512bw avx512_vnni", "", "processor\t: 1",
                "model name\t: other"), 2);
        assertEquals("AMD EPYC 9B14", c.model());
        assertEquals("AVX-512 with int8 dot products (VNNI)", c.vectorExtensions());
        assertEquals("AMD EPYC 9B14, 2 logical cores, AVX-512 with int8 dot products (VNNI)", c.describe());
    }

    @Test
    void avx2WithoutVnniSaysInt8GainsNothing() {
        CpuInfo c = CpuInfo.parse(List.of("model name : AMD EPYC", "flags : sse2 avx avx2 fma"), 1);
        assertTrue(c.vectorExtensions().startsWith("AVX2, no VNNI"), c.vectorExtensions());
        assertTrue(c.describe().contains("1 logical core,"), c.describe());
    }

    @Test
    void avxVnniOnAvx2Machines() {
        CpuInfo c = CpuInfo.parse(List.of("model name : Intel Core", "flags : avx avx2 avx_vnni"), 8);
        assertEquals("AVX2 with int8 dot products (VNNI)", c.vectorExtensions());
    }

    @Test
    void unknownWhenNothingToRead() {
        CpuInfo c = CpuInfo.parse(List.of("garbage", ""), 4);
        assertFalse(c.model().isEmpty());
        assertEquals("instruction sets unknown", c.vectorExtensions());
    }

    @Test
    void thisMachineAlwaysDescribes() {
        String d = CpuInfo.current().describe();
        assertTrue(d.contains("logical core"), d);
    }
}
