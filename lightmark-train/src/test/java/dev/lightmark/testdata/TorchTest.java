package dev.lightmark.testdata;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.lightmark.model.layers.TorchSetup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the tests that build arrays and networks on PyTorch: one thread, and one base manager
 * {@link #m} for the class, closed after its last test.
 */
public abstract class TorchTest {
    protected static NDManager m;

    @BeforeAll
    static void openTorch() {
        TorchSetup.configure(1);
        m = Engine.getEngine("PyTorch").newBaseManager();
    }

    @AfterAll
    static void closeTorch() { m.close(); }
}
