package dev.lightmark.cli;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * SIGTERM and SIGINT (Ctrl-C) handled by the program instead of the JVM, so a service can stop
 * cleanly and exit with status 0 rather than the JVM's 143 / 130. Uses the JDK's
 * {@code sun.misc.Signal} (module jdk.unsupported), present in every OpenJDK build.
 */
final class StopSignals {
    private StopSignals() {}

    /**
     * Calls {@code onSignal} with 1 for the first TERM or INT, 2 for the next, and so on (on a
     * thread of the JVM's; it should return quickly). False when SIGTERM cannot be handled (e.g.
     * the JVM runs with -Xrs): the JVM then exits on it itself, running shutdown hooks. SIGINT is
     * handled when it can be (a shell starts background jobs with it ignored).
     */
    static boolean install(IntConsumer onSignal) {
        AtomicInteger count = new AtomicInteger();
        boolean term = false;
        for (String name : List.of("TERM", "INT")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> onSignal.accept(count.incrementAndGet()));
                term |= name.equals("TERM");
            } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
                // left to the JVM
            }
        }
        return term;
    }
}
