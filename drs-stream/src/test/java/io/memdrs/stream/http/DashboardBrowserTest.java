package io.memdrs.stream.http;

import static io.memdrs.stream.http.LiveApp.ALPHA;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real headless browser while the app holds data: the page must show every host's load bar, a
 * recommendation's full explanation and the hint of a VM whose statistics cannot be used. Keeps a screenshot at
 * {@code target/dashboard.png}. Skipped only where Debian's {@code chromium} is not installed (CI installs it).
 */
@Tag("integration")
@ExtendWith(LiveAppExtension.class)
class DashboardBrowserTest {
    @TempDir
    Path profiles;

    @Test
    void shouldShowHostsRecommendationExplanationsAndUnusableVmHints(LiveApp live) throws Exception {
        Optional<Chromium> browser = Chromium.find(profiles);
        assumeTrue(browser.isPresent(), "chromium is not installed (apt-get install -y chromium)");
        String url = live.api.base() + "/#" + ALPHA;

        String dom = browser.get().dumpDom(url, 8_000);

        assertTrue(dom.contains("data-loaded=\"" + ALPHA + "\""), "the page finished loading alpha:\n" + dom);
        for (String host : new String[] {"h1", "h2", "h3", "h4"}) {
            assertTrue(dom.contains("data-host=\"" + host + "\""), "host " + host + " has a load bar");
        }
        assertTrue(dom.contains("class=\"watermark\""), "the high watermark line is drawn");
        assertTrue(dom.contains("data-state=\"UNKNOWN\""), "the silent host is marked");
        assertTrue(dom.contains("<polyline"), "σ over time is drawn");
        assertTrue(dom.contains("id=\"plan\""), "the plan's later waves have their section:\n" + dom);
        JsonNode recs = live.api.json("/clusters/" + ALPHA + "/recommendations").get("recommendations");
        boolean explained = false;
        for (JsonNode r : recs) {
            explained |= dom.contains(escape(r.get("explanation").asText()));
        }
        assertTrue(explained, "a live recommendation's explanation is shown:\n" + dom);
        assertTrue(dom.contains(escape(Samples.FROZEN_HINT)), "the frozen VM's hint is shown:\n" + dom);
        assertTrue(dom.contains(escape(Samples.NO_BALLOON_HINT)), "the balloon-less VM's hint is shown");

        String beta = browser.get().dumpDom(live.api.base() + "/#" + LiveApp.BETA, 8_000);
        assertTrue(beta.contains("data-loaded=\"" + LiveApp.BETA + "\""), "the page finished loading beta:\n" + beta);
        assertTrue(beta.contains("10.0 s → 12.5 s (×1.25)"), "a migration's predicted and actual duration:\n" + beta);
        assertTrue(beta.contains("8192 MiB → 6144 MiB (×0.75)"), "its predicted and actual bytes sent");
        assertTrue(beta.contains("g1 → g2: 492 MiB/s, 0.38 bytes sent per byte (1 measured)"), "the pair's calibration");
        assertTrue(beta.contains("libvirt: Unable to read from monitor"), "the failed one's error");

        Path screenshot = Path.of("target", "dashboard.png");
        browser.get().screenshot(url, screenshot, 1280, 1500, 8_000);
        assertTrue(Files.size(screenshot) > 10_000, "screenshot written to " + screenshot.toAbsolutePath());
    }

    /** Text as chromium serialises it inside an element. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\u00a0", "&nbsp;");
    }
}
