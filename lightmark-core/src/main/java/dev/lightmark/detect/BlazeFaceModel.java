package dev.lightmark.detect;

/**
 * The two MediaPipe BlazeFace networks bundled under {@code /models/blazeface/}. Both take a square
 * NHWC RGB image scaled to [-1, 1] and give 896 anchors (16x16 cells x 2 + 8x8 cells x 6).
 */
public enum BlazeFaceModel {
    /** Short-range "front camera" model, 128x128 input: faces filling a good part of the image. */
    FRONT_128("face_detection_front_128x128.onnx", 128),
    /** "Back camera" model, 256x256 input: also finds smaller faces, about 3x slower. */
    BACK_256("face_detection_back_256x256.onnx", 256);

    public static final String RESOURCE_DIR = "/models/blazeface/";

    private final String file;
    private final int inputSize;

    BlazeFaceModel(String file, int inputSize) {
        this.file = file;
        this.inputSize = inputSize;
    }

    /** Class-path resource of the ONNX file. */
    public String resource() { return RESOURCE_DIR + file; }

    /** Side of the square network input in pixels. */
    public int inputSize() { return inputSize; }
}
