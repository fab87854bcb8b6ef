package dev.lightmark.image;

/**
 * Spots JPEG and PNG files cut short. Java's JPEG readers decode such a file without an error
 * (the missing part comes out grey, with only a warning), so {@link Images} checks the structure
 * itself: a JPEG must have an end-of-image marker after its last start-of-scan, a PNG an IEND chunk.
 */
public final class Truncation {
    private Truncation() {}

    /** A description of the damage, or null if the file looks complete (or is another format). */
    public static String problem(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            // Inside entropy-coded data every 0xFF byte is followed by 0x00 or a restart marker,
            // so FF D9 (end of image) and FF DA (start of scan) occur only as markers.
            int lastEoi = lastMarker(b, 0xD9), lastSos = lastMarker(b, 0xDA);
            if (lastSos < 0) return "truncated or corrupt JPEG: no image data (start-of-scan marker)";
            if (lastEoi < lastSos) return "truncated JPEG: no end-of-image marker after the image data";
            return null;
        }
        if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            for (int i = b.length - 4; i >= 8; i--)
                if (b[i] == 'I' && b[i + 1] == 'E' && b[i + 2] == 'N' && b[i + 3] == 'D') return null;
            return "truncated PNG: no IEND chunk";
        }
        return null;
    }

    private static int lastMarker(byte[] b, int code) {
        for (int i = b.length - 2; i >= 0; i--)
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == code) return i;
        return -1;
    }
}
