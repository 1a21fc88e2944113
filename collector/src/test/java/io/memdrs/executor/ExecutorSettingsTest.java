package io.memdrs.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutorSettingsTest {
    @Test
    void shouldBeADryRunUnlessToldOtherwise() {
        ExecutorSettings s = Recommendations.settings(Map.of());
        assertTrue(s.dryRun());
        assertTrue(s.toString().contains("DRY RUN"), s.toString());
    }

    @Test
    void shouldBuildEachHostsUriFromTheTemplateOrItsOwnKey() {
        ExecutorSettings s = Recommendations.settings(Map.of("executor.libvirt.uri-template", "qemu+tls://{host}.dc1/system",
                "executor.libvirt.uri.h9", "qemu+ssh://root@10.0.0.9/system"));
        assertEquals("qemu+tls://h1.dc1/system", s.uriOf("h1"));
        assertEquals("qemu+ssh://root@10.0.0.9/system", s.uriOf("h9"));
    }

    @Test
    void shouldNameTheBadKey() {
        assertEquals("executor.libvirt.uri-template", assertThrows(ConfigException.class, () ->
                Recommendations.settings(Map.of("executor.libvirt.uri-template", "qemu:///system"))).key());
        assertEquals("executor.dryrun", assertThrows(ConfigException.class, () ->
                Recommendations.settings(Map.of("executor.dryrun", "false"))).key());
        assertEquals("executor.target.max-load", assertThrows(ConfigException.class, () ->
                Recommendations.settings(Map.of("executor.target.max-load", "1.5"))).key());
    }

    @Test
    void shouldActForTheNamedClustersOnly() {
        ExecutorSettings s = Recommendations.settings(Map.of("executor.clusters", "az1, az2"));
        assertTrue(s.actsFor("az2") && !s.actsFor("az3"));
        assertTrue(Recommendations.settings(Map.of()).actsFor("anything"));
    }
}
