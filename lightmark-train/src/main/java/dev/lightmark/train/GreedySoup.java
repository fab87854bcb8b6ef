package dev.lightmark.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The greedy soup (Wortsman et al., 2022): the ingredients are ranked by their own score, and each
 * in turn joins the soup (an equal-share mean of the chosen models) only when the soup's score
 * falls. So the soup is never worse than the best ingredient on the faces that score it, which
 * must be validation faces: the choice is fitted to them.
 */
public final class GreedySoup {
    /** Lower is better: an NME (a fraction, printed as a percentage) on validation faces. */
    @FunctionalInterface
    public interface Scorer {
        double score(Path model) throws Exception;
    }

    /** One ingredient's own score, the soup's score when it was tried, and whether it stayed. */
    public record Step(Path ingredient, double ownScore, double soupScore, boolean kept) {}

    /** The chosen ingredients (best first), the written soup's score, and every step. */
    public record Result(List<Path> chosen, double score, List<Step> steps) {}

    private GreedySoup() {}

    /**
     * Scores each of {@code ingredients}, tries them best first and writes the best soup found to
     * {@code out} (the best ingredient itself when no soup beats it). Trial soups are written next
     * to {@code out} and removed.
     */
    public static Result cook(List<Path> ingredients, Scorer scorer, Path out, PrintStream log) throws Exception {
        if (ingredients.size() < 2) throw new IllegalArgumentException("a greedy soup needs at least two models, not " + ingredients.size());
        for (Path p : ingredients)
            if (!Files.isRegularFile(p)) throw new IllegalArgumentException("no model file " + p);
        List<Path> ranked = new ArrayList<>();
        Map<Path, Double> own = new HashMap<>();
        for (Path p : ingredients) {
            double s = scorer.score(p);
            log.printf(Locale.ROOT, "ingredient %s: %.3f %%%n", p, 100 * s);
            own.put(p, s);
            ranked.add(p);
        }
        ranked.sort(Comparator.comparingDouble(own::get));
        List<Step> steps = new ArrayList<>();
        List<Path> chosen = new ArrayList<>(List.of(ranked.get(0)));
        double best = own.get(ranked.get(0));
        steps.add(new Step(ranked.get(0), best, best, true));
        log.printf(Locale.ROOT, "start with %s: %.3f %%%n", ranked.get(0), 100 * best);
        Path trial = out.resolveSibling(out.getFileName() + ".trial.lmk");
        Path kept = out.resolveSibling(out.getFileName() + ".kept.lmk");
        try {
            for (Path next : ranked.subList(1, ranked.size())) {
                List<Path> tryOut = new ArrayList<>(chosen);
                tryOut.add(next);
                ModelSoup.mix(tryOut, null, trial);
                double s = scorer.score(trial);
                boolean keep = s < best;
                steps.add(new Step(next, own.get(next), s, keep));
                log.printf(Locale.ROOT, "%s %s (alone %.3f %%): soup of %d %.3f %%%n", keep ? "add " : "skip", next, 100 * own.get(next), tryOut.size(), 100 * s);
                if (keep) {
                    chosen = tryOut;
                    best = s;
                    Files.move(trial, kept, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (chosen.size() == 1) Files.copy(chosen.get(0), out, StandardCopyOption.REPLACE_EXISTING);
            else Files.move(kept, out, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(trial);
            Files.deleteIfExists(kept);
        }
        return new Result(List.copyOf(chosen), best, List.copyOf(steps));
    }
}
