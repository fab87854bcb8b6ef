package dev.lightmark.track;

import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.*;

class SceneCutsTest {
    private static BufferedImage scene(Color bg, int squareX) {
        BufferedImage img = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(bg);
        g.fillRect(0, 0, 160, 120);
        g.setColor(Color.WHITE);
        g.fillRect(squareX, 40, 30, 30);
        g.dispose();
        return img;
    }

    @Test
    void motionIsNotACutButANewShotIs() {
        SceneCuts c = new SceneCuts(15);
        assertFalse(c.isCut(scene(Color.DARK_GRAY, 10)), "first frame");
        for (int x = 12; x < 40; x += 2) assertFalse(c.isCut(scene(Color.DARK_GRAY, x)), "moving square at " + x);
        assertTrue(c.isCut(scene(new Color(200, 180, 60), 100)));
        assertFalse(c.isCut(scene(new Color(200, 180, 60), 102)));
    }

    @Test
    void thresholdZeroTurnsItOff() {
        SceneCuts c = new SceneCuts(0);
        c.isCut(scene(Color.BLACK, 0));
        assertFalse(c.isCut(scene(Color.WHITE, 100)));
    }
}
