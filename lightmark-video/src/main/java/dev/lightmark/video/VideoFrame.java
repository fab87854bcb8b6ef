package dev.lightmark.video;

import java.awt.image.BufferedImage;

/**
 * One decoded video frame: its 0-based index in decoding order, its presentation time in seconds
 * from the start of the stream, and the picture as a TYPE_INT_RGB image owned by the caller.
 */
public record VideoFrame(int index, double timeSeconds, BufferedImage image) {}
