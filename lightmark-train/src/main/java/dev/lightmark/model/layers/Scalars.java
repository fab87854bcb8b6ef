package dev.lightmark.model.layers;

import ai.djl.ndarray.NDArray;

/**
 * Scalar constants that are safe inside autograd.
 *
 * <p>DJL's {@code mul(Number)}, {@code div(Number)} and {@code pow(Number)} on PyTorch wrap the
 * number in a temporary array backed by a JVM direct buffer and close that array at once. PyTorch's
 * autograd keeps the wrapped tensor for the backward pass of mul/div/pow, but the buffer behind it
 * is freed when the JVM collects it, so a garbage collection between forward and backward makes
 * backward read freed memory (seen as NaN losses after a few steps, at random). Add and subtract
 * do not keep their operand and are safe.
 *
 * <p>An array from here stays attached to the manager of {@code like} (the step's manager in
 * training) until that manager closes, after backward.
 */
public final class Scalars {
    private Scalars() {}

    public static NDArray of(NDArray like, float value) { return like.getManager().create(value); }

    /** {@code x * value}, safe for backward. */
    public static NDArray mul(NDArray x, float value) { return x.mul(of(x, value)); }

    /** {@code x / value}, safe for backward. */
    public static NDArray div(NDArray x, float value) { return x.mul(of(x, 1f / value)); }
}
