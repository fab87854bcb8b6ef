package dev.lightmark.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX graph under construction (float tensors only) and its serialisation to a ModelProto.
 * Field numbers follow onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
 * ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto, StringStringEntryProto).
 */
final class OnnxGraph {
    /** TensorProto.DataType.FLOAT and INT64. */
    static final int FLOAT = 1, INT64 = 7;
    /** AttributeProto.AttributeType values used here. */
    private static final int ATTR_FLOAT = 1, ATTR_INT = 2, ATTR_STRING = 3, ATTR_INTS = 7;

    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Set<String> names = new HashSet<>();
    private int nodeCount;

    /** A node attribute: an int, a list of ints, a float or a string (all this exporter needs). */
    record Attr(String name, long[] ints, boolean list, Float f, String s) {
        static Attr i(String name, long v) { return new Attr(name, new long[]{v}, false, null, null); }
        static Attr ints(String name, long... v) { return new Attr(name, v, true, null, null); }
        static Attr f(String name, float v) { return new Attr(name, null, false, v, null); }
        static Attr s(String name, String v) { return new Attr(name, null, false, null, v); }
    }

    /** Adds a float constant (row-major) and returns its name. */
    String initializer(String name, long[] dims, float[] data) {
        long count = 1;
        for (long d : dims) count *= d;
        if (count != data.length)
            throw new IllegalArgumentException(name + ": " + data.length + " values for " + count + " elements");
        claim(name);
        ByteBuffer raw = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(data);
        return tensor(name, dims, FLOAT, raw.array());
    }

    /** Adds an int64 constant (shapes, axes, indices) and returns its name. */
    String initializer(String name, long[] dims, long[] data) {
        long count = 1;
        for (long d : dims) count *= d;
        if (count != data.length)
            throw new IllegalArgumentException(name + ": " + data.length + " values for " + count + " elements");
        claim(name);
        ByteBuffer raw = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(data);
        return tensor(name, dims, INT64, raw.array());
    }

    private String tensor(String name, long[] dims, int type, byte[] raw) {
        ProtoWriter t = new ProtoWriter();
        t.packedInt64(1, dims);          // dims
        t.int64(2, type);                // data_type
        t.string(8, name);               // name
        t.bytes(9, raw);                 // raw_data (little-endian)
        initializers.add(t);
        return name;
    }

    /** Adds a node with one output named {@code output}; returns that name. */
    String node(String opType, String output, List<String> in, Attr... attrs) {
        claim(output);
        ProtoWriter n = new ProtoWriter();
        for (String s : in) n.string(1, s);  // input
        n.string(2, output);                  // output
        n.string(3, opType + "_" + (nodeCount++)); // name
        n.string(4, opType);                  // op_type
        for (Attr a : attrs) {
            ProtoWriter p = new ProtoWriter();
            p.string(1, a.name());                            // name
            if (a.s() != null) {
                p.int64(20, ATTR_STRING);                     // type
                p.string(4, a.s());                           // s
            } else if (a.f() != null) {
                p.int64(20, ATTR_FLOAT);                      // type
                p.fixed32(2, Float.floatToRawIntBits(a.f())); // f
            } else {
                p.int64(20, a.list() ? ATTR_INTS : ATTR_INT); // type
                if (a.list()) p.packedInt64(8, a.ints());     // ints
                else p.int64(3, a.ints()[0]);                 // i
            }
            n.message(5, p);                                  // attribute
        }
        nodes.add(n);
        return output;
    }

    /** A graph input; a negative dimension is written as the symbolic dimension {@code N}. */
    void input(String name, long... dims) {
        claim(name);
        inputs.add(valueInfo(name, dims));
    }

    /** Declares an already produced value as a graph output. */
    void output(String name, long... dims) {
        if (!names.contains(name)) throw new IllegalArgumentException("no value named " + name);
        outputs.add(valueInfo(name, dims));
    }

    void metadata(String key, String value) { metadata.put(key, value); }

    /** Serialises a ModelProto holding this graph. */
    byte[] toModel(String graphName, long irVersion, long opset, String producer, String producerVersion) {
        ProtoWriter g = new ProtoWriter();
        for (ProtoWriter n : nodes) g.message(1, n);         // node
        g.string(2, graphName);                               // name
        for (ProtoWriter t : initializers) g.message(5, t);  // initializer
        for (ProtoWriter v : inputs) g.message(11, v);       // input
        for (ProtoWriter v : outputs) g.message(12, v);      // output

        ProtoWriter m = new ProtoWriter();
        m.int64(1, irVersion);                                // ir_version
        m.string(2, producer);                                // producer_name
        m.string(3, producerVersion);                         // producer_version
        m.int64(5, 1);                                        // model_version
        m.message(7, g);                                      // graph
        m.message(8, new ProtoWriter().string(1, "").int64(2, opset)); // opset_import (default domain)
        for (var e : metadata.entrySet())                     // metadata_props
            m.message(14, new ProtoWriter().string(1, e.getKey()).string(2, e.getValue()));
        return m.toByteArray();
    }

    private static ProtoWriter valueInfo(String name, long[] dims) {
        ProtoWriter shape = new ProtoWriter();
        for (long d : dims) {
            ProtoWriter dim = new ProtoWriter();
            if (d < 0) dim.string(2, "N");   // dim_param
            else dim.int64(1, d);            // dim_value
            shape.message(1, dim);
        }
        ProtoWriter tensor = new ProtoWriter().int64(1, FLOAT).message(2, shape); // elem_type, shape
        ProtoWriter type = new ProtoWriter().message(1, tensor);                  // tensor_type
        return new ProtoWriter().string(1, name).message(2, type);                // name, type
    }

    private void claim(String name) {
        if (!names.add(name)) throw new IllegalArgumentException("duplicate value name " + name);
    }
}
