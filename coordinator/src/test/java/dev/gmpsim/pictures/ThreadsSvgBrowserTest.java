package dev.gmpsim.pictures;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gmpsim.cli.Browser;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.run.Simulation;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** threads.svg as a person sees it: rendered by headless Chromium, not only parsed. */
class ThreadsSvgBrowserTest {
  @Test
  void chromiumRendersThreadsSvgWithEveryPanelAndSeries(@TempDir Path tmp) throws Exception {
    Browser.assumePresent();
    Scenario s = RunPicturesTest.example("faults/sysmon-stall.yaml", 0);
    RunResult r = Simulation.runLocally(s, RunOptions.seed(s.seed()));
    RunPictures.write(tmp, r, s.faults(), null);
    Path svg = tmp.resolve(RunPictures.THREADS_SVG);
    try (Browser b = Browser.open(ThreadsChart.WIDTH, ThreadsChart.HEIGHT)) {
      b.driver().get(svg.toUri().toString());
      Object root = b.driver().executeScript("return document.documentElement.nodeName;");
      assertEquals("svg", String.valueOf(root).toLowerCase(java.util.Locale.ROOT));
      // Laid out by the browser: the plot's paths have a size, the legend's text is there.
      Number width = (Number) b.driver().executeScript(
          "return document.documentElement.getBBox().width;");
      assertTrue(width.doubleValue() > ThreadsChart.WIDTH * 0.9, "rendered width " + width);
      Number paths = (Number) b.driver().executeScript("return document.querySelectorAll('path').length;");
      assertTrue(paths.intValue() >= ThreadsChart.SERIES.size(), "a path per series at least: " + paths);
      @SuppressWarnings("unchecked")
      List<String> texts = (List<String>) b.driver().executeScript(
          "return Array.from(document.querySelectorAll('text')).map(t => t.textContent);");
      assertTrue(texts.containsAll(ThreadsChart.SERIES), texts.toString());
      Path shot = b.screenshot("threads-sysmon-stall.png");
      BufferedImage img = ImageIO.read(shot.toFile());
      long inked = 0;
      boolean threadsBlue = false;
      boolean faultShade = false;
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          int rgb = img.getRGB(x, y) & 0xffffff;
          if (rgb != 0xffffff) {
            inked++;
          }
          threadsBlue |= near(rgb, 0x1f4e9c);
          // 13% of the fault red over the plot background.
          faultShade |= ((rgb >> 16) & 0xff) > 0xf0 && ((rgb >> 8) & 0xff) < 0xe2 && ((rgb >> 8) & 0xff) > 0xc8;
        }
      }
      long all = (long) img.getWidth() * img.getHeight();
      assertTrue(inked > all / 5, "the picture is not blank: " + inked + " of " + all + " pixels drawn");
      assertTrue(threadsBlue, "the threads line is drawn");
      assertTrue(faultShade, "the fault window is shaded");
    }
  }

  private static boolean near(int rgb, int want) {
    for (int shift = 0; shift <= 16; shift += 8) {
      if (Math.abs(((rgb >> shift) & 0xff) - ((want >> shift) & 0xff)) > 12) {
        return false;
      }
    }
    return true;
  }
}
