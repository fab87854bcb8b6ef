package dev.lightmark.detect;

import dev.lightmark.data.FaceSample;
import dev.lightmark.data.PtsFolder;
import dev.lightmark.image.Images;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Mean {@link BlazeFaceDetector#detect} time on a 640x480 TYPE_INT_RGB image, one intra-op thread.
 * The image is a 300-W face pasted on noise when the folder exists, noise alone otherwise.
 *
 * <pre>java -cp 'target/classes:target/lib/*' dev.lightmark.detect.DetectorBenchmark [FACES_DIR] [ITERATIONS]</pre>
 */
public final class DetectorBenchmark {
    private DetectorBenchmark() {}

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/300w/test-common");
        int iters = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        Random rnd = new Random(0);
        for (int y = 0; y < 480; y++) for (int x = 0; x < 640; x++) img.setRGB(x, y, rnd.nextInt(0x1000000));
        if (Files.isDirectory(dir)) {
            List<FaceSample> s = PtsFolder.load(dir, 68).samples();
            BufferedImage face = Images.read(s.get(0).image());
            Graphics2D g = img.createGraphics();
            g.drawImage(face, 160, 80, null);
            g.dispose();
        }
        for (BlazeFaceModel m : BlazeFaceModel.values()) {
            try (BlazeFaceDetector d = new BlazeFaceDetector(m)) {
                for (int i = 0; i < 50; i++) d.detect(img);
                Letterbox lb = Letterbox.of(640, 480, m.inputSize());
                long t0 = System.nanoTime();
                for (int i = 0; i < iters; i++) lb.toInput(img);
                long t1 = System.nanoTime();
                int faces = 0;
                for (int i = 0; i < iters; i++) faces += d.detect(img).size();
                long t2 = System.nanoTime();
                System.out.printf(Locale.ROOT, "%s: %.2f ms per 640x480 image (letterbox %.2f ms), %d face(s), %d runs, 1 thread%n",
                        m, (t2 - t1) / 1e6 / iters, (t1 - t0) / 1e6 / iters, faces / iters, iters);
            }
        }
    }
}
