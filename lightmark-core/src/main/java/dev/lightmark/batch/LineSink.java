package dev.lightmark.batch;

import java.io.IOException;

/** Where batch records go: a results file or standard output. */
public interface LineSink {
    /** Writes one JSON record as one line; it is out of the process when this returns. */
    void append(String jsonLine) throws IOException;
}
