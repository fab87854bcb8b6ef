package dev.lightmark.serve;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Property tests of the upload reader (issue 14's abuse suite): whatever the body's length, the
 * way it is cut into packets and its pace, reading it ends in one of the documented outcomes
 * (the exact bytes, 400, 408 or 413), never more than the limit in memory and never another
 * exception; multipart bodies, well-formed or damaged, give the file or a 400 / 413.
 */
class UploadPropertiesTest {
    private static final Set<Integer> DOCUMENTED = Set.of(400, 408, 413);

    /** Delivers the body in random packets on a fake clock: each read costs {@code msPerRead}, each empty poll 10 ms. */
    static final class Packets extends InputStream {
        final byte[] data;
        final int end;   // bytes the client sends (less than data.length: it hangs up early)
        final Random r;
        final AtomicLong clock;
        final long msPerRead;
        final int maxPacket;
        int pos, packetLeft;

        Packets(byte[] data, int end, long seed, AtomicLong clock, long msPerRead, int maxPacket) {
            this.data = data;
            this.end = end;
            this.r = new Random(seed);
            this.clock = clock;
            this.msPerRead = msPerRead;
            this.maxPacket = maxPacket;
        }

        @Override
        public int available() {
            if (packetLeft == 0 && pos < end && r.nextInt(4) > 0) packetLeft = Math.min(end - pos, 1 + r.nextInt(maxPacket));
            if (packetLeft == 0) clock.addAndGet(10_000_000L);   // nothing arrived: time passes while the reader waits
            return packetLeft;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= end) return -1;
            if (packetLeft == 0) packetLeft = Math.min(end - pos, 1 + r.nextInt(maxPacket));
            clock.addAndGet(msPerRead * 1_000_000L);
            int n = Math.min(len, packetLeft);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            packetLeft -= n;
            return n;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        boolean atEnd() { return pos >= end; }
    }

    /** Reads as the service does: without a slot while bytes flow, then blocking with the pace checks. */
    static byte[] read(Packets in, long declared, BodyReader.Limits limits) throws Exception {
        BodyReader r = new BodyReader(declared, limits, in.clock::get);
        if (!r.takeIfComplete(in) && !r.takeAvailable(in, in::atEnd)) r.readRest(in, () -> false);
        return r.bytes();
    }

    @Example
    void aBodyAlreadyHereInFullIsTakenAtOnceAndAnIncompleteOneIsLeftAlone() throws Exception {
        byte[] body = new byte[1000];
        new Random(3).nextBytes(body);
        BodyReader.Limits limits = new BodyReader.Limits(1 << 20, 10_240, 2_000, 60_000);
        AtomicLong clock = new AtomicLong();
        BodyReader whole = new BodyReader(body.length, limits, clock::get);
        assertTrue(whole.takeIfComplete(new ByteArrayInputStream(body)));
        assertArrayEquals(body, whole.bytes());
        // 999 of 1000 bytes readable: nothing taken, the usual path reads it
        BodyReader part = new BodyReader(body.length, limits, clock::get);
        ByteArrayInputStream short1 = new ByteArrayInputStream(body, 0, 999);
        assertFalse(part.takeIfComplete(short1));
        assertEquals(999, short1.available(), "nothing was read");
        // a chunked body (no length) never counts as complete
        assertFalse(new BodyReader(-1, limits, clock::get).takeIfComplete(new ByteArrayInputStream(body)));
    }

    @Property(tries = 300)
    void fastBodiesComeBackWholeOrAre413(@ForAll @Size(max = 6000) byte[] body, @ForAll @IntRange(min = 1, max = 5000) int max,
                                        @ForAll boolean chunked, @ForAll long seed, @ForAll @IntRange(min = 1, max = 3000) int maxPacket)
            throws Exception {
        Packets in = new Packets(body, body.length, seed, new AtomicLong(), 0, maxPacket);
        BodyReader.Limits limits = new BodyReader.Limits(max, 10_240, 2_000, 60_000);
        try {
            byte[] got = read(in, chunked ? -1 : body.length, limits);
            assertTrue(body.length <= max, "a body over the limit was accepted");
            assertArrayEquals(body, got);
        } catch (ApiException e) {
            assertEquals(413, e.status(), e.getMessage());
            assertTrue(body.length > max);
            assertTrue(in.pos <= max + 3000 + 65536, "stopped reading soon after the limit");
        }
    }

    @Property(tries = 100)
    void tricklingBodiesAre408(@ForAll @IntRange(min = 200, max = 4000) int size, @ForAll @IntRange(min = 1, max = 8) int perPacket,
                               @ForAll @IntRange(min = 200, max = 1000) int msPerRead, @ForAll boolean chunked, @ForAll long seed) {
        byte[] body = new byte[size];
        Packets in = new Packets(body, size, seed, new AtomicLong(), msPerRead, perPacket);
        ApiException e = assertThrows(ApiException.class,
                () -> read(in, chunked ? -1 : size, new BodyReader.Limits(1 << 20, 10_240, 2_000, 60_000)));
        assertEquals(408, e.status(), e.getMessage());
        assertTrue(in.pos <= perPacket * (2_000 / msPerRead + 5), "cut soon after the grace time, at " + in.pos + " bytes");
    }

    @Property(tries = 300)
    void anyDeliveryEndsInADocumentedOutcome(@ForAll @Size(max = 3000) byte[] body, @ForAll @IntRange(min = 0, max = 3000) int sent,
                                            @ForAll @IntRange(min = 1, max = 4000) int max, @ForAll boolean chunked,
                                            @ForAll @IntRange(min = 0, max = 400) int msPerRead, @ForAll long seed,
                                            @ForAll @IntRange(min = 1, max = 2000) int maxPacket) throws Exception {
        int end = Math.min(sent, body.length);
        Packets in = new Packets(body, end, seed, new AtomicLong(), msPerRead, maxPacket);
        try {
            byte[] got = read(in, chunked ? -1 : body.length, new BodyReader.Limits(max, 1_000, 2_000, 30_000));
            assertTrue(got.length <= max);
            assertArrayEquals(Arrays.copyOf(body, end), got, "what the client sent, whole");
            if (!chunked) assertEquals(body.length, end, "a body cut short is not accepted");
        } catch (ApiException e) {
            assertTrue(DOCUMENTED.contains(e.status()), e.status() + " " + e.getMessage());
        }
    }

    // ---- multipart ----

    private static final String BOUNDARY = "fuzz-boundary-7d3";

    static byte[] multipart(String field, String filename, byte[] content, boolean extraField) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        if (extraField)
            b.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n").getBytes(StandardCharsets.UTF_8));
        b.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        b.writeBytes(content);
        b.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }

    @Property(tries = 200)
    void wellFormedMultipartGivesTheFile(@ForAll @Size(min = 1, max = 3000) byte[] content,
                                         @ForAll @StringLength(min = 1, max = 40) @net.jqwik.api.constraints.AlphaChars String name,
                                         @ForAll boolean extraField) {
        byte[] body = multipart("image", name + ".jpg", content, extraField);
        UploadReader.Upload up = MultipartBody.file(body, "multipart/form-data; boundary=" + BOUNDARY, "image", 1 << 20);
        assertArrayEquals(content, up.bytes());
        assertEquals(UploadReader.safeName(name + ".jpg"), up.name());
    }

    @Property(tries = 300)
    void damagedMultipartGivesTheFileOrA400(@ForAll("damagedMultipart") byte[] body, @ForAll boolean wrongBoundary) {
        String type = "multipart/form-data; boundary=" + (wrongBoundary ? "other" : BOUNDARY);
        try {
            UploadReader.Upload up = MultipartBody.file(body, type, "image", 1 << 20);
            assertNotNull(up.bytes());
            assertFalse(up.name().contains("/"));
        } catch (ApiException e) {
            assertTrue(e.status() == 400 || e.status() == 413, e.status() + " " + e.getMessage());
        }
    }

    @Provide
    Arbitrary<byte[]> damagedMultipart() {
        return Arbitraries.longs().map(seed -> {
            Random r = new Random(seed);
            byte[] content = new byte[r.nextInt(500)];
            r.nextBytes(content);
            byte[] b = multipart(r.nextBoolean() ? "image" : "photo", "x" + r.nextInt(100) + ".png", content, r.nextBoolean());
            for (int i = 0, n = 1 + r.nextInt(6); i < n && b.length > 0; i++) {
                switch (r.nextInt(3)) {
                    case 0 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                    case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1));
                    default -> {
                        int at = r.nextInt(b.length + 1);
                        byte[] ins = ("\r\n--" + BOUNDARY + (r.nextBoolean() ? "--" : "") + "\r\n").getBytes(StandardCharsets.UTF_8);
                        byte[] out = new byte[b.length + ins.length];
                        System.arraycopy(b, 0, out, 0, at);
                        System.arraycopy(ins, 0, out, at, ins.length);
                        System.arraycopy(b, at, out, at + ins.length, b.length - at);
                        b = out;
                    }
                }
            }
            return b;
        });
    }
}
