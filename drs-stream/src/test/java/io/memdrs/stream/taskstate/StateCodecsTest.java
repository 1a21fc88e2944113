package io.memdrs.stream.taskstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.schemas.AvroSerde;
import io.memdrs.stream.state.HostState;
import io.memdrs.stream.state.VmState;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.Test;

class StateCodecsTest {
    private final VmStateCodec vms = new VmStateCodec();
    private final HostStateCodec hosts = new HostStateCodec();

    @Test
    void shouldReadBackEveryVmStateItWritesAcrossRandomValues() {
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            VmState v = randomVm(random);
            byte[] bytes = vms.encode(v);
            assertEquals(v, vms.decode(bytes));
            assertEquals(CompactWriter.MARKER, bytes[0]);
        }
    }

    @Test
    void shouldReadBackEveryHostStateItWritesAcrossRandomValues() {
        Random random = new Random(11);
        for (int i = 0; i < 2_000; i++) {
            HostState h = HostState.newBuilder().setCluster("c" + random.nextInt(50)).setHost("h-" + random.nextLong())
                    .setMemoryKiB(random.nextLong() >>> 1).setReservedKiB(random.nextInt()).setPollIntervalSeconds(random.nextInt())
                    .setLastSampleMillis(random.nextLong()).setDemandKiB(random.nextLong()).setVmCount(random.nextInt())
                    .setTrustedVms(Integer.MIN_VALUE + random.nextInt(10)).setAboveSinceMillis(random.nextLong()).build();
            assertEquals(h, hosts.decode(hosts.encode(h)));
        }
    }

    @Test
    void shouldWriteAVmStateInNoMoreBytesThanItsAvroSingleObject() {
        VmState v = randomVm(new Random(3));
        int compact = vms.encode(v).length;
        int avro = AvroSerde.of(VmState.class, StateSchemas.catalog()).encode(v).length;
        assertTrue(compact <= avro, "compact " + compact + " bytes, Avro " + avro);
    }

    @Test
    void shouldReadVmStateThePreviousReleaseWroteWithTheNewFieldAtItsDefault() {
        byte[] old = PreviousReleaseState.vm("c1", "vm-1", "h1", 4096, 1_700_000_000_000L);
        assertEquals((byte) 0xC3, old[0], "the previous release wrote Avro single objects");
        VmState v = vms.decode(old);
        assertEquals("vm-1", v.getVmUuid());
        assertEquals("h1", v.getHost());
        assertEquals(4096, v.getDemandKiB());
        assertEquals(Map.of("old-host", 1_699_999_999_000L), v.getEarlierLeftHosts());
        assertEquals(0, v.getSamples(), "samples was not counted before");
        assertNull(v.getLeftHost());
        byte[] rewritten = vms.encode(v);
        assertEquals(CompactWriter.MARKER, rewritten[0], "written again in the compact format");
        assertEquals(v, vms.decode(rewritten));
    }

    @Test
    void shouldReadTheFirstCompactVersionWithTheDirtyRateUnknown() {
        VmState v = randomVm(new Random(5));
        v.setDirtyBytesPerSecond(-1);
        byte[] current = vms.encode(v);
        assertEquals(2, current[2], "format version");
        byte[] first = Arrays.copyOf(current, current.length - 1); // version 1 ended after the sample count
        first[2] = 1;
        assertEquals(v, vms.decode(first));
    }

    @Test
    void shouldKeepTheOldSchemaReadableByTheCurrentOne() {
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE, SchemaCompatibility
                .checkReaderWriterCompatibility(VmState.getClassSchema(), PreviousReleaseState.vmSchema()).getType());
    }

    @Test
    void shouldReadHostStateThePreviousReleaseWrote() {
        HostState h = hosts.decode(PreviousReleaseState.host("c1", "h1", 64L << 20, 8L << 20, 3, 5L));
        assertEquals(8L << 20, h.getDemandKiB());
        assertEquals(3, h.getVmCount());
    }

    @Test
    void shouldNameAValueOfANewerFormatVersionOrCutShort() {
        byte[] bytes = vms.encode(randomVm(new Random(5)));
        byte[] newer = bytes.clone();
        newer[2] = 9;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> vms.decode(newer));
        assertTrue(e.getMessage().contains("version 9") && e.getMessage().contains("newer release"), e.getMessage());

        IllegalStateException cut = assertThrows(IllegalStateException.class,
                () -> vms.decode(Arrays.copyOf(bytes, bytes.length - 3)));
        assertTrue(cut.getMessage().startsWith("vm-state value"), cut.getMessage());

        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(IllegalStateException.class, () -> vms.decode(longer));

        byte[] hostBytes = hosts.encode(hosts.decode(PreviousReleaseState.host("c", "h", 1, 1, 1, 1)));
        IllegalStateException kind = assertThrows(IllegalStateException.class, () -> vms.decode(hostBytes));
        assertTrue(kind.getMessage().contains("kind"), kind.getMessage());
    }

    @Test
    void shouldCopyDeeply() {
        VmState v = randomVm(new Random(9));
        VmState copy = vms.copy(v);
        assertEquals(v, copy);
        copy.getEarlierLeftHosts().put("another", 1L);
        assertFalse(v.getEarlierLeftHosts().containsKey("another"));
    }

    static VmState randomVm(Random random) {
        Map<String, Long> left = new java.util.HashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            left.put("host-" + random.nextInt(1000), random.nextLong());
        }
        return VmState.newBuilder().setCluster("cluster-" + random.nextInt(100))
                .setVmUuid(java.util.UUID.randomUUID().toString()).setVmName(random.nextBoolean() ? "vm" : "虚拟机-" + random.nextInt())
                .setHost("h" + random.nextInt(64)).setLastSampleMillis(random.nextLong()).setUsageKiB(random.nextLong())
                .setSmoothedKiB(random.nextDouble() * 1e9).setPeakKiB(random.nextLong()).setPeakAtMillis(random.nextLong())
                .setSizeKiB(random.nextLong() >>> 2).setBoundKiB(random.nextLong()).setTrusted(random.nextBoolean())
                .setHealth("OK").setHint(random.nextBoolean() ? "" : "hint " + random.nextInt())
                .setDemandKiB(random.nextLong()).setLeftHost(random.nextBoolean() ? null : "h" + random.nextInt(9))
                .setLastMoveMillis(random.nextLong()).setPendingUntilMillis(random.nextLong())
                .setPendingTarget(random.nextBoolean() ? null : "t" + random.nextInt(9)).setEarlierLeftHosts(left)
                .setSamples(random.nextInt(1_000_000))
                .setDirtyBytesPerSecond(random.nextBoolean() ? -1 : random.nextLong() >>> random.nextInt(64)).build();
    }
}
