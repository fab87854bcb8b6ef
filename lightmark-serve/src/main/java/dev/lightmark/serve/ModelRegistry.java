package dev.lightmark.serve;

import dev.lightmark.detect.BlazeFaceDetector;
import dev.lightmark.detect.BlazeFaceModel;
import dev.lightmark.detect.LandmarkBoxMapper;
import dev.lightmark.infer.FacePipeline;
import dev.lightmark.infer.BundledModels;
import dev.lightmark.infer.BundledNetworks;
import dev.lightmark.infer.LandmarkPredictor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * The landmark models the service offers, by name, and the two face detectors they share.
 * Everything here is loaded once and used by all request threads at the same time: ONNX Runtime
 * sessions allow concurrent runs, and a DJL (.lmk) network serialises its calls itself.
 *
 * <p>A request uses the models under a {@link #lease()}. {@link #close()} never frees a model under
 * a running lease (that crashed ONNX Runtime on shutdown): it refuses new leases and leaves the
 * closing to the last lease returned; {@link #awaitClosed} waits for that.
 */
public final class ModelRegistry implements AutoCloseable {
    /** Name of the model shipped in the jar; always available unless a --model takes its name. */
    public static final String BUNDLED_NAME = "pfld-300w";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** A loaded model: its name, where it came from ("bundled" or the file's name, no folders) and the predictor. */
    public record Model(String name, String source, LandmarkPredictor predictor) {}

    private final Map<String, Model> models;
    private final String defaultName;
    private final FacePipeline.Stage front, back;
    /** The sessions of the bundled files, lent to the bundled models' predictors. */
    private final BundledNetworks shared;
    private final Object lock = new Object();
    private int leases;
    private boolean closing;
    private final CountDownLatch closed = new CountDownLatch(1);

    /** Permission to use the models until {@link #close()}d; the models stay open meanwhile. */
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    private ModelRegistry(Map<String, Model> models, String defaultName, FacePipeline.Stage front, FacePipeline.Stage back,
                          BundledNetworks shared) {
        this.models = Collections.unmodifiableMap(models);
        this.shared = shared;
        this.defaultName = defaultName;
        this.front = front;
        this.back = back;
    }

    /**
     * Loads the bundled models (as {@code pfld-300w} and by their names {@code default},
     * {@code fast}, {@code balanced}, {@code accurate}, {@code video}) and each {@code name -> .onnx/.lmk} file (or
     * {@code A+B} ensemble), and both BlazeFace
     * detectors. {@code defaultName} null means the bundled {@code default} model.
     */
    public static ModelRegistry load(Map<String, Path> files, String defaultName, int threads, float scoreThreshold) throws IOException {
        Map<String, Model> models = new LinkedHashMap<>();
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            // Bundled models that use the same file share one session (pfld-300w and fast); the
            // registry closes the sessions after the predictors.
            BundledNetworks shared = new BundledNetworks(threads);
            opened.add(shared);
            if (!files.containsKey(BUNDLED_NAME))
                models.put(BUNDLED_NAME, new Model(BUNDLED_NAME, "bundled", LandmarkPredictor.bundled("fast", shared)));   // the PFLD-0.25X of 300-W
            for (BundledModels.Entry b : BundledModels.all().values()) {   // default, fast, balanced, accurate, video: as in every command
                if (files.containsKey(b.name())) continue;
                boolean reallyBundled = BundledModels.named(Path.of(b.name())).isPresent();   // a file of that name wins
                LandmarkPredictor p;
                if (reallyBundled) p = LandmarkPredictor.bundled(b.name(), shared);
                else {
                    p = LandmarkPredictor.load(Path.of(b.name()), threads);
                    opened.add(p);
                }
                models.put(b.name(), new Model(b.name(), reallyBundled ? "bundled" : b.name(), p));
            }
            for (var e : files.entrySet()) {
                if (!NAME.matcher(e.getKey()).matches())
                    throw new IllegalArgumentException("--model name '" + e.getKey() + "' must be 1-64 letters, digits, '.', '_' or '-'");
                LandmarkPredictor p = LandmarkPredictor.load(e.getValue(), threads);
                opened.add(p);
                models.put(e.getKey(), new Model(e.getKey(), e.getValue().getFileName().toString(), p));   // no server paths in answers
            }
            String def = defaultName != null ? defaultName : "default";
            if (!models.containsKey(def))
                throw new IllegalArgumentException("--default-model '" + def + "' is not one of " + models.keySet());
            FacePipeline.Stage f = stage(BlazeFaceModel.FRONT_128, threads, scoreThreshold);
            opened.add(f.detector());
            FacePipeline.Stage b = stage(BlazeFaceModel.BACK_256, threads, scoreThreshold);
            opened.add(b.detector());
            return new ModelRegistry(models, def, f, b, shared);
        } catch (IOException | RuntimeException e) {
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static FacePipeline.Stage stage(BlazeFaceModel m, int threads, float threshold) {
        BlazeFaceDetector.Options o = BlazeFaceDetector.Options.defaults().withModel(m)
                .withScoreThreshold(threshold).withIntraOpThreads(threads);
        return new FacePipeline.Stage(new BlazeFaceDetector(o), LandmarkBoxMapper.loadDefault(m));
    }

    public Map<String, Model> models() { return models; }

    public String defaultName() { return defaultName; }

    /** The model of that name, or null. */
    public Model get(String name) { return models.get(name); }

    /**
     * A pipeline over the shared detectors for one request; cheap to make, and not to be closed
     * (it would close the shared detectors): the registry closes them.
     */
    public FacePipeline pipeline(FacePipeline.DetectorChoice choice, Model model) {
        List<FacePipeline.Stage> stages = switch (choice) {
            case FRONT -> List.of(front);
            case BACK -> List.of(back);
            case AUTO -> List.of(front, back);
        };
        return new FacePipeline(stages, model.predictor());
    }

    /** A lease on the models, or null once {@link #close()} has been called. */
    public Lease lease() {
        synchronized (lock) {
            if (closing) return null;
            leases++;
        }
        AtomicBoolean returned = new AtomicBoolean();
        return () -> {
            if (!returned.compareAndSet(false, true)) return;
            boolean last;
            synchronized (lock) {
                last = --leases == 0 && closing;
            }
            if (last) closeModels();
        };
    }

    /** Leases not yet returned. */
    public int leases() {
        synchronized (lock) {
            return leases;
        }
    }

    /**
     * Closes detectors and models now if no lease is out, otherwise when the last one is returned;
     * no new lease is given either way. Safe to call more than once.
     */
    @Override
    public void close() {
        boolean now;
        synchronized (lock) {
            if (closing) return;
            closing = true;
            now = leases == 0;
        }
        if (now) closeModels();
    }

    /** Waits until the models are closed (after {@link #close()} and the last lease); false on timeout. */
    public boolean awaitClosed(long millis) throws InterruptedException {
        return closed.await(millis, TimeUnit.MILLISECONDS);
    }

    public boolean isClosed() { return closed.getCount() == 0; }

    private void closeModels() {
        try {
            front.detector().close();
            back.detector().close();
            models.values().stream().map(Model::predictor).distinct().forEach(LandmarkPredictor::close);
            shared.close();   // after the predictors that borrowed from it
        } finally {
            closed.countDown();
        }
    }
}
