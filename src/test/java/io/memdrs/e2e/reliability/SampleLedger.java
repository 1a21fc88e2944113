package io.memdrs.e2e.reliability;

import io.memdrs.avro.HostLoad;
import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.stream.state.VmState;
import io.memdrs.stream.topology.StreamSerdes;
import io.memdrs.topics.Topics;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Counts samples by identity — "vm UUID@sample time" or "host NAME@sample time" — at three places: what the
 * collector's polls produced, what the sample topics hold, and what the stream app's model took in. The model's
 * intake is read from its own committed output: the vm-state changelog (one record per VM sample the model applied,
 * when the app runs without a record cache) and the host loads (one per host sample). A sample the app applied twice
 * would be counted twice there; a lost one, zero times.
 */
final class SampleLedger {
    private SampleLedger() {}

    static String key(VmMemorySample vm) {
        return "vm " + vm.getVmUuid() + "@" + vm.getSampleTimeMillis();
    }

    static String key(HostMemorySample host) {
        return "host " + host.getHost() + "@" + host.getSampleTimeMillis();
    }

    /** Samples in the two sample topics, by identity. */
    static Map<String, Integer> inKafka(String bootstrap) {
        Map<String, Integer> counts = new TreeMap<>();
        AvroSerde<VmMemorySample> vms = AvroSerde.of(VmMemorySample.class);
        AvroSerde<HostMemorySample> hosts = AvroSerde.of(HostMemorySample.class);
        for (ConsumerRecord<String, byte[]> r : KafkaReads.committed(bootstrap, Topics.VM_SAMPLES, Topics.HOST_SAMPLES)) {
            String key = r.topic().equals(Topics.VM_SAMPLES) ? key(vms.decode(r.value())) : key(hosts.decode(r.value()));
            counts.merge(key, 1, Integer::sum);
        }
        return counts;
    }

    /**
     * Samples the model of application {@code appId} applied, by identity, from its committed output. Host loads
     * published by a decision round are not samples: run the app without rounds (a long drs.round.interval).
     */
    static Map<String, Integer> inModel(String bootstrap, String appId) {
        Map<String, Integer> counts = new TreeMap<>();
        AvroSerde<VmState> vmState = StreamSerdes.standard().vmState();
        for (ConsumerRecord<String, byte[]> r : KafkaReads.committed(bootstrap, appId + "-vm-state-changelog")) {
            if (r.value() != null) {
                VmState vm = vmState.decode(r.value());
                counts.merge("vm " + vm.getVmUuid() + "@" + vm.getLastSampleMillis(), 1, Integer::sum);
            }
        }
        AvroSerde<HostLoad> loads = AvroSerde.of(HostLoad.class);
        for (ConsumerRecord<String, byte[]> r : KafkaReads.committed(bootstrap, Topics.HOST_LOAD)) {
            HostLoad load = loads.decode(r.value());
            counts.merge("host " + load.getHost() + "@" + load.getComputedAtMillis(), 1, Integer::sum);
        }
        return counts;
    }

    /** How {@code counted} differs from exactly once per {@code produced} sample. */
    record Discrepancy(Set<String> missing, Map<String, Integer> repeated, Set<String> unexpected) {
        static Discrepancy of(Set<String> produced, Map<String, Integer> counted) {
            Set<String> missing = new TreeSet<>(produced);
            missing.removeAll(counted.keySet());
            Map<String, Integer> repeated = new TreeMap<>(counted);
            repeated.values().removeIf(n -> n == 1);
            Set<String> unexpected = new TreeSet<>(counted.keySet());
            unexpected.removeAll(produced);
            return new Discrepancy(missing, repeated, unexpected);
        }

        boolean none() {
            return missing.isEmpty() && repeated.isEmpty() && unexpected.isEmpty();
        }

        @Override
        public String toString() {
            return missing.size() + " missing " + first(missing) + ", " + repeated.size() + " repeated "
                    + first(repeated.keySet()) + ", " + unexpected.size() + " unexpected " + first(unexpected);
        }

        private static String first(Set<String> keys) {
            return keys.isEmpty() ? "" : "(e.g. " + new HashSet<>(keys).iterator().next() + ")";
        }
    }
}
