package io.memdrs.stream.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.ControlEvent;
import io.memdrs.avro.ControlType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ControlEventValidationTest {
    private static final long NOW = 1_800_000_000_000L;

    private static ControlEvent event(ControlType type, List<String> hosts, List<String> vms) {
        return ControlEvent.newBuilder().setCluster("c1").setRuleId("r1").setType(type).setHosts(hosts).setVms(vms)
                .setCreatedAtMillis(NOW).build();
    }

    @Test
    void shouldTakeTheMigrationKillSwitchWhichNamesNoHostOrVm() {
        assertEquals(Optional.empty(), SampleValidator.problem(event(ControlType.MIGRATIONS_PAUSED, List.of(), List.of()), NOW));
    }

    @Test
    void shouldStillRefuseRulesThatNameNothingToActOn() {
        assertTrue(SampleValidator.problem(event(ControlType.DO_NOT_MOVE, List.of(), List.of()), NOW).orElseThrow()
                .contains("names no VM"));
        assertTrue(SampleValidator.problem(event(ControlType.HOST_MAINTENANCE, List.of(), List.of()), NOW).orElseThrow()
                .contains("names no host"));
    }
}
