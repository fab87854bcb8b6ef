package dev.lightmark.geometry;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class AffineTest {
    @Test
    void inverseUndoesTheMap() {
        Affine a = Affine.rotateAbout(0.3f, 10, 20).compose(Affine.scale(2, 3)).compose(Affine.translate(5, -7));
        Affine id = a.inverse().compose(a);
        assertEquals(3.5f, id.mapX(3.5f, -2f), 1e-4);
        assertEquals(-2f, id.mapY(3.5f, -2f), 1e-4);
    }

    @Test
    void boxToSquareMapsCornersToTheCrop() {
        Affine a = Affine.boxToSquare(new Box(10, 20, 50, 50), 100);
        assertEquals(0f, a.mapX(10, 20), 1e-5);
        assertEquals(100f, a.mapX(60, 70), 1e-5);
        assertEquals(100f, a.mapY(60, 70), 1e-5);
    }

    @Test
    void singularMapIsRejected() {
        assertThrows(IllegalStateException.class, () -> Affine.scale(0, 1).inverse());
    }

    @Test
    void iouOfOverlappingBoxes() {
        assertEquals(1f / 3f, new Box(0, 0, 2, 1).iou(new Box(1, 0, 2, 1)), 1e-6);
    }
}
