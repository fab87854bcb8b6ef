package dev.lightmark.image;

import dev.lightmark.data.DataFormatException;

import java.nio.file.Path;

/** An image refused for its size (pixels or bytes) rather than for damage, so callers can tell the two apart. */
public class ImageTooLargeException extends DataFormatException {
    public ImageTooLargeException(Path file, String problem) { super(file, problem); }
}
