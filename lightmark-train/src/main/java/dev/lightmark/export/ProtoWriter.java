package dev.lightmark.export;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal protocol-buffers wire-format writer: just enough to serialise the ONNX messages the
 * exporter needs. Fields are written in call order; nested messages are built in their own writer
 * and embedded as length-delimited fields.
 */
final class ProtoWriter {
    private static final int VARINT = 0, LENGTH_DELIMITED = 2, FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** An int32/int64/enum/bool field (varint; negative values take ten bytes, as protobuf does). */
    ProtoWriter int64(int field, long value) {
        tag(field, VARINT);
        varint(value);
        return this;
    }

    /** A float field, as its IEEE 754 bits (little-endian fixed32). */
    ProtoWriter fixed32(int field, int bits) {
        tag(field, FIXED32);
        for (int i = 0; i < 4; i++) out.write((bits >>> (8 * i)) & 0xFF);
        return this;
    }

    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter bytes(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        varint(value.length);
        out.write(value, 0, value.length);
        return this;
    }

    ProtoWriter message(int field, ProtoWriter value) {
        return bytes(field, value.toByteArray());
    }

    /** A repeated int64 field written packed (one length-delimited run of varints). */
    ProtoWriter packedInt64(int field, long... values) {
        ProtoWriter body = new ProtoWriter();
        for (long v : values) body.varint(v);
        return message(field, body);
    }

    byte[] toByteArray() { return out.toByteArray(); }

    int size() { return out.size(); }

    private void tag(int field, int wireType) {
        if (field <= 0) throw new IllegalArgumentException("field number must be positive: " + field);
        varint(((long) field << 3) | wireType);
    }

    private void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
