package dev.lightmark.data;

import dev.lightmark.testdata.SyntheticFaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PtsFolderTest {
    @TempDir Path dir;

    @Test
    void aSelectionKeepsOnlyTheListedFacesAndReportsListedNamesTheFolderLacks() throws Exception {
        Path data = SyntheticFaces.write(dir.resolve("data"), 6, 64, 1);
        List<String> names = PtsFolder.load(data, 68).samples().stream().map(FaceSample::name).toList();
        assertEquals(6, names.size());
        Path list = dir.resolve("part.txt");
        Files.write(list, List.of(names.get(1), "", names.get(4), "nobody"));

        PtsFolder.Loaded part = PtsFolder.loadSelection(data + "@" + list, 68);
        assertEquals(List.of(names.get(1), names.get(4)), part.samples().stream().map(FaceSample::name).toList());
        assertEquals(1, part.problems().size());
        assertTrue(part.problems().get(0).contains("nobody"), part.problems().toString());

        assertEquals(List.of(names.get(1), names.get(4)), PtsFolder.loadSelection(data, list, 68).samples().stream().map(FaceSample::name).toList());
        assertEquals(6, PtsFolder.loadSelection(data.toString(), 68).samples().size());
        assertEquals(6, PtsFolder.loadSelection(data, null, 68).samples().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PtsFolder.loadSelection(data + "@" + dir.resolve("missing.txt"), 68));
        assertTrue(e.getMessage().contains("missing.txt"), e.getMessage());
    }
}
