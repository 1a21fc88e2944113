package io.memdrs.e2e.reliability;

import io.memdrs.avro.BalanceReport;
import io.memdrs.avro.HostLoad;
import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.stream.state.VmState;
import io.memdrs.stream.topology.StreamSerdes;
import io.memdrs.topics.Topics;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Counts samples by identity — "vm UUID@sample time" or "host NAME@sample time" — at three places: what the
 * collector's polls produced, what the sample topics hold, and what the stream app's model took in. The model's
 * intake is read from its own committed output: for VMs, the sample count in each VM's last committed state (the
 * model counts every sample it takes in), for hosts the host loads (one per host sample). A sample the app applied
 * twice would be counted twice there; a lost one, zero times.
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
     * Samples the model of application {@code appId} took in, from its committed output: "vm UUID" → the samples in
     * the VM's last committed state, "host NAME@time" → host loads published for that host sample. A decision round
     * publishes a host load for every host of its cluster too, stamped with the round's time, which can fall on the
     * very millisecond of a sample: each committed round of a cluster at time t accounts for one host load per host
     * of that cluster at t, and only the rest count as intake. A round also drops VMs not heard from for a while:
     * keep {@code drs.stale.periods} high when the VM counts matter.
     */
    static Map<String, Integer> inModel(String bootstrap, String appId) {
        Map<String, Integer> counts = new TreeMap<>();
        committedVms(bootstrap, appId).values().forEach(vm -> counts.put("vm " + vm.getVmUuid(), (int) vm.getSamples()));
        Map<String, Integer> roundsAt = new HashMap<>();
        AvroSerde<BalanceReport> reports = AvroSerde.of(BalanceReport.class);
        for (ConsumerRecord<String, byte[]> r : KafkaReads.committed(bootstrap, Topics.BALANCE_REPORTS)) {
            BalanceReport report = reports.decode(r.value());
            roundsAt.merge(report.getCluster() + "@" + report.getCreatedAtMillis(), 1, Integer::sum);
        }
        Map<String, Integer> loads = new HashMap<>();
        AvroSerde<HostLoad> decoder = AvroSerde.of(HostLoad.class);
        for (ConsumerRecord<String, byte[]> r : KafkaReads.committed(bootstrap, Topics.HOST_LOAD)) {
            HostLoad load = decoder.decode(r.value());
            loads.merge(load.getCluster() + "\u0000" + load.getHost() + "@" + load.getComputedAtMillis(), 1, Integer::sum);
        }
        loads.forEach((key, n) -> {
            String cluster = key.substring(0, key.indexOf('\u0000'));
            String hostAt = key.substring(key.indexOf('\u0000') + 1);
            int ofSamples = n - roundsAt.getOrDefault(cluster + hostAt.substring(hostAt.lastIndexOf('@')), 0);
            if (ofSamples > 0) {
                counts.merge("host " + hostAt, ofSamples, Integer::sum);
            }
        });
        return counts;
    }

    /** The last committed state of every VM in the model of {@code appId}, by VM uuid. */
    static Map<String, VmState> committedVms(String bootstrap, String appId) {
        Map<String, VmState> vms = new TreeMap<>();
        var codec = StreamSerdes.standard().vmState();
        for (ConsumerRecord<String, byte[]> r : KafkaReads.committed(bootstrap, appId + "-vm-state-changelog")) {
            String uuid = r.key().substring(r.key().indexOf('\u0000') + 1);
            if (r.value() == null) {
                vms.remove(uuid);
            } else {
                vms.put(uuid, codec.decode(r.value()));
            }
        }
        return vms;
    }

    /** {@code produced} counted as {@link #inModel} counts: VM samples per VM, host samples by identity. */
    static Map<String, Integer> asModelCounts(Set<String> produced) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String key : produced) {
            counts.merge(key.startsWith("vm ") ? key.substring(0, key.lastIndexOf('@')) : key, 1, Integer::sum);
        }
        return counts;
    }

    /** True when {@code inModel} holds at least every sample of {@code produced}. */
    static boolean covers(Set<String> produced, Map<String, Integer> inModel) {
        return asModelCounts(produced).entrySet().stream().allMatch(e -> inModel.getOrDefault(e.getKey(), 0) >= e.getValue());
    }

    /** How {@code counted} differs from exactly once per {@code produced} sample. */
    record Discrepancy(Set<String> missing, Map<String, Integer> repeated, Set<String> unexpected) {
        /** Each of {@code produced} expected once in {@code counted}. */
        static Discrepancy of(Set<String> produced, Map<String, Integer> counted) {
            Map<String, Integer> once = new TreeMap<>();
            produced.forEach(k -> once.put(k, 1));
            return of(once, counted);
        }

        /** {@code expected} counts against {@code counted} ones: fewer is missing, more is repeated. */
        static Discrepancy of(Map<String, Integer> expected, Map<String, Integer> counted) {
            Set<String> missing = new TreeSet<>();
            Map<String, Integer> repeated = new TreeMap<>();
            expected.forEach((key, n) -> {
                int got = counted.getOrDefault(key, 0);
                if (got < n) {
                    missing.add(key + (n > 1 ? " (" + got + " of " + n + ")" : ""));
                } else if (got > n) {
                    repeated.put(key, got - n);
                }
            });
            Set<String> unexpected = new TreeSet<>(counted.keySet());
            unexpected.removeAll(expected.keySet());
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
