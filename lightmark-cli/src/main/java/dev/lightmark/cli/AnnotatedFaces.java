package dev.lightmark.cli;

import dev.lightmark.data.FaceSample;
import dev.lightmark.data.PtsFolder;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The annotated faces of repeatable {@code --data DIR[@names.txt]} options, for commands that fit on them. */
final class AnnotatedFaces {
    private AnnotatedFaces() {}

    /**
     * Every face of every spec except those named in {@code leftOut}; files that cannot be read
     * are reported on stderr and skipped. Adds "SPEC (N faces)" per spec to {@code sources}.
     */
    static List<FaceSample> load(List<String> specs, Set<String> leftOut, List<String> sources) {
        List<FaceSample> out = new ArrayList<>();
        for (String d : specs) {
            PtsFolder.Loaded loaded = PtsFolder.loadSelection(d, 68);
            loaded.problems().forEach(p -> System.err.println("skipped: " + p));
            List<FaceSample> s = loaded.samples().stream().filter(f -> !leftOut.contains(f.name())).toList();
            out.addAll(s);
            sources.add(d + " (" + s.size() + " faces)");
        }
        return out;
    }
}
