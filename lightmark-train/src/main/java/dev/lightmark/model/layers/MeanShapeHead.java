package dev.lightmark.model.layers;

import ai.djl.nn.Block;

/** A coordinate-regression network whose last layer can start at the mean shape. */
public interface MeanShapeHead {
    /**
     * Starts the head at the mean shape (0..1 crop units): bias = mean, small weights, so early
     * training refines an average face instead of undoing a random one.
     */
    void setMeanShape(float[] meanShape);

    static void setLinear(Block linear, float[] meanShape) {
        linear.getParameters().get("bias").getArray().set(java.nio.FloatBuffer.wrap(meanShape));
        linear.getParameters().get("weight").getArray().muli(0.01f);
    }
}
