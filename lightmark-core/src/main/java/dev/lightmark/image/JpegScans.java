package dev.lightmark.image;

/**
 * Bounds the decoding cost of a JPEG before it is decoded. A progressive JPEG may hold any number
 * of scans, and a decoder passes over every block of the image for each of them, so a small file
 * with thousands of near-empty scans (a "scan bomb") keeps a decoder busy for minutes although its
 * pixel count is modest. This class walks the file's markers (segment lengths, entropy-coded data
 * skipped) and counts the scans of the first image and reads its size from the frame header;
 * {@link #problem} turns that into a refusal when the work would be out of proportion.
 *
 * <p>Ordinary encoders write 1 scan (baseline), 3 (non-interleaved) or about 10 (progressive), so
 * the limits below never touch real photos: at most {@value #MAX_SCANS} scans, and at most
 * {@value #SCAN_BUDGET} scans' worth of the pixel limit (scans x pixels &le; {@value #SCAN_BUDGET}
 * x maxPixels), so no JPEG costs more than a 16-scan image at the pixel limit.
 */
public final class JpegScans {
    /** More scans than this are refused whatever the image size. */
    public static final int MAX_SCANS = 100;
    /** scans x pixels may be at most this many times the pixel limit. */
    public static final int SCAN_BUDGET = 16;

    /** Scans of the first image, and its size from the frame header (0 when none was found). */
    public record Structure(int scans, int width, int height, boolean progressive) {
        public long pixels() { return (long) width * height; }
    }

    private JpegScans() {}

    /** The structure of a JPEG, or null when the bytes do not start like one. Never throws on damaged data. */
    public static Structure read(byte[] b) {
        int n = b.length;
        if (n < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) return null;
        int scans = 0, width = 0, height = 0;
        boolean progressive = false, frame = false;
        int i = 2;
        while (i + 1 < n) {
            if ((b[i] & 0xFF) != 0xFF) {   // stray bytes between segments: decoders skip them too
                i++;
                continue;
            }
            int m = b[i + 1] & 0xFF;
            if (m == 0xFF) {   // fill byte
                i++;
                continue;
            }
            if (m == 0xD9) break;   // end of image
            if (m == 0x00 || m == 0x01 || m == 0xD8 || (m >= 0xD0 && m <= 0xD7)) {   // no length field
                i += 2;
                continue;
            }
            if (i + 3 >= n) break;
            int len = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            if (len < 2) break;
            int next = i + 2 + len;
            boolean sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
            if (sof && !frame && i + 8 < n) {
                frame = true;
                progressive = m == 0xC2 || m == 0xC6 || m == 0xCA || m == 0xCE;
                height = ((b[i + 5] & 0xFF) << 8) | (b[i + 6] & 0xFF);
                width = ((b[i + 7] & 0xFF) << 8) | (b[i + 8] & 0xFF);
            }
            if (m == 0xDA) {
                scans++;
                i = endOfEntropyData(b, next);
            } else {
                i = next;
            }
        }
        return new Structure(scans, width, height, progressive);
    }

    /**
     * Why decoding this JPEG would cost too much for a pixel limit of {@code maxPixels}, or null
     * when it is fine (or not a JPEG).
     */
    public static String problem(byte[] b, long maxPixels) {
        Structure s = read(b);
        if (s == null || s.scans() <= 1) return null;
        if (s.scans() > MAX_SCANS)
            return "JPEG has " + s.scans() + " scans, over the limit of " + MAX_SCANS + " (decoding cost)";
        long work = s.scans() * Math.max(1, s.pixels());
        if (work > SCAN_BUDGET * maxPixels)
            return "JPEG has " + s.scans() + " scans of " + s.width() + "x" + s.height() + " pixels; decoding it would cost more than "
                    + SCAN_BUDGET + " scans at the " + maxPixels + "-pixel limit";
        return null;
    }

    /** Inside entropy-coded data a 0xFF byte is followed by 0x00 (stuffing) or a restart marker; anything else ends it. */
    private static int endOfEntropyData(byte[] b, int from) {
        int j = from;
        while (j + 1 < b.length) {
            if ((b[j] & 0xFF) == 0xFF) {
                int c = b[j + 1] & 0xFF;
                if (c == 0x00 || (c >= 0xD0 && c <= 0xD7)) {
                    j += 2;
                    continue;
                }
                if (c == 0xFF) {
                    j++;
                    continue;
                }
                return j;
            }
            j++;
        }
        return b.length;
    }
}
