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
 * An ONNX graph under construction and its serialisation to a ModelProto. Nodes and constants stay
 * data until {@link #toModel}, so a pass such as {@link Int8Quantizer} can rewrite the graph.
 * Field numbers follow onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
 * ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto, StringStringEntryProto).
 */
final class OnnxGraph {
    /** TensorProto.DataType.FLOAT and INT64. */
    static final int FLOAT = 1, UINT8 = 2, INT8 = 3, INT32 = 6, INT64 = 7;
    /** AttributeProto.AttributeType values used here. */
    private static final int ATTR_FLOAT = 1, ATTR_INT = 2, ATTR_STRING = 3, ATTR_INTS = 7;

    private final List<Node> nodes = new ArrayList<>();
    private final List<Tensor> initializers = new ArrayList<>();
    private final Map<String, Tensor> constants = new java.util.HashMap<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private final List<String> outputNames = new ArrayList<>();
    private final List<String> inputNames = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Set<String> names = new HashSet<>();
    private int nodeCount;

    /** A node with one output; its inputs can be rewired (quantisation inserts nodes between). */
    static final class Node {
        final String op, name, output;
        final List<String> inputs;
        final Attr[] attrs;

        Node(String op, String name, List<String> inputs, String output, Attr[] attrs) {
            this.op = op;
            this.name = name;
            this.inputs = new ArrayList<>(inputs);
            this.output = output;
            this.attrs = attrs;
        }
    }

    /** A constant: its dims, TensorProto data type and little-endian raw bytes. */
    record Tensor(String name, long[] dims, int type, byte[] raw) {
        float[] floats() {
            if (type != FLOAT) throw new IllegalStateException(name + " is not a float tensor");
            float[] f = new float[raw.length / 4];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
            return f;
        }
    }

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

    /** Adds a constant of any type from its little-endian bytes and returns its name. */
    String initializer(String name, long[] dims, int type, byte[] raw) {
        claim(name);
        return tensor(name, dims, type, raw);
    }

    private String tensor(String name, long[] dims, int type, byte[] raw) {
        Tensor t = new Tensor(name, dims.clone(), type, raw);
        initializers.add(t);
        constants.put(name, t);
        return name;
    }

    /** The constant named {@code name}, or null when it is not one. */
    Tensor constant(String name) {
        return constants.get(name);
    }

    /** Removes constants no node reads. */
    void dropUnusedConstants() {
        Set<String> used = new HashSet<>(outputNames);
        for (Node n : nodes) used.addAll(n.inputs);
        initializers.removeIf(t -> !used.contains(t.name()));
        constants.keySet().retainAll(used);
    }

    /** The nodes in order (the list is live: a rewrite may insert into it). */
    List<Node> nodes() { return nodes; }

    /** Names of the graph outputs. */
    List<String> outputNames() { return List.copyOf(outputNames); }

    /** The graph input names. */
    List<String> inputNames() { return List.copyOf(inputNames); }

    /** A name not yet used, starting with {@code base}. */
    String fresh(String base) {
        if (!names.contains(base)) return base;
        for (int i = 1; ; i++) if (!names.contains(base + "_" + i)) return base + "_" + i;
    }

    /** Adds a node with one output named {@code output}; returns that name. */
    String node(String opType, String output, List<String> in, Attr... attrs) {
        claim(output);
        nodes.add(new Node(opType, opType + "_" + (nodeCount++), in, output, attrs));
        return output;
    }

    /** As {@link #node} but placed at {@code index} in the node list (before the node now there). */
    String nodeAt(int index, String opType, String output, List<String> in, Attr... attrs) {
        claim(output);
        nodes.add(index, new Node(opType, opType + "_" + (nodeCount++), in, output, attrs));
        return output;
    }

    private static ProtoWriter write(Node node) {
        ProtoWriter n = new ProtoWriter();
        for (String s : node.inputs) n.string(1, s);  // input
        n.string(2, node.output);                     // output
        n.string(3, node.name);                       // name
        n.string(4, node.op);                         // op_type
        for (Attr a : node.attrs) {
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
        return n;
    }

    private static ProtoWriter write(Tensor tensor) {
        ProtoWriter t = new ProtoWriter();
        t.packedInt64(1, tensor.dims());   // dims
        t.int64(2, tensor.type());         // data_type
        t.string(8, tensor.name());        // name
        t.bytes(9, tensor.raw());          // raw_data (little-endian)
        return t;
    }

    /** A graph input; a negative dimension is written as the symbolic dimension {@code N}. */
    void input(String name, long... dims) {
        claim(name);
        inputNames.add(name);
        inputs.add(valueInfo(name, dims));
    }

    /** Declares an already produced value as a graph output. */
    void output(String name, long... dims) {
        if (!names.contains(name)) throw new IllegalArgumentException("no value named " + name);
        outputNames.add(name);
        outputs.add(valueInfo(name, dims));
    }

    /** Declares a float value a graph output without giving its shape (for calibration runs). */
    void outputOfAnyShape(String name) {
        if (!names.contains(name)) throw new IllegalArgumentException("no value named " + name);
        outputNames.add(name);
        ProtoWriter tensor = new ProtoWriter().int64(1, FLOAT);   // elem_type, no shape
        outputs.add(new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensor)));
    }

    /** Removes the outputs added after the first {@code count}. */
    void keepOutputs(int count) {
        while (outputs.size() > count) {
            outputs.remove(outputs.size() - 1);
            outputNames.remove(outputNames.size() - 1);
        }
    }

    void metadata(String key, String value) { metadata.put(key, value); }

    /** Serialises a ModelProto holding this graph. */
    byte[] toModel(String graphName, long irVersion, long opset, String producer, String producerVersion) {
        ProtoWriter g = new ProtoWriter();
        for (Node n : nodes) g.message(1, write(n));          // node
        g.string(2, graphName);                               // name
        for (Tensor t : initializers) g.message(5, write(t)); // initializer
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
