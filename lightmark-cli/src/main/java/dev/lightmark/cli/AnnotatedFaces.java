package dev.lightmark.cli;

import dev.lightmark.data.FaceSample;
import dev.lightmark.data.PtsFolder;

import java.nio.file.Path;
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
            report(loaded.problems());
            List<FaceSample> s = loaded.samples().stream().filter(f -> !leftOut.contains(f.name())).toList();
            out.addAll(s);
            sources.add(d + " (" + s.size() + " faces)");
        }
        return out;
    }

    /**
     * The faces of one folder, only those named in {@code only} when it is given (e.g. a run's
     * val-faces.txt); problems are reported on stderr.
     */
    static List<FaceSample> load(Path folder, Path only) {
        PtsFolder.Loaded loaded = PtsFolder.loadSelection(folder, only, 68);
        report(loaded.problems());
        return loaded.samples();
    }

    /** Beyond this many, problems are counted rather than listed (a list from another folder misses every name). */
    static final int LISTED_PROBLEMS = 20;

    static void report(List<String> problems) {
        problems.stream().limit(LISTED_PROBLEMS).forEach(p -> System.err.println("skipped: " + p));
        if (problems.size() > LISTED_PROBLEMS)
            System.err.println("skipped: " + (problems.size() - LISTED_PROBLEMS) + " more, " + problems.size() + " in all");
    }
}
