package io.memdrs.stream.topology;

import io.memdrs.avro.HostLoad;
import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.schemas.RecordDecodingException;
import io.memdrs.topics.Topics;
import java.util.Optional;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the per-cluster memory model up to date, one sample at a time in O(1): each VM's latest sample, and each
 * host's aggregate (capacity, Σ demand of its VMs). A VM that shows up on another host moves its demand with it;
 * that is how executed migrations are observed. Records that cannot be decoded, or decode to impossible values, go
 * to the dead letters with the reason and are counted; they never touch the model.
 */
final class ClusterModelProcessor implements Processor<String, byte[], String, byte[]> {
    private final StreamSerdes serdes;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, VmMemorySample> vms;
    private KeyValueStore<String, HostLoad> hosts;
    private Sensor deadLetters;

    ClusterModelProcessor(StreamSerdes serdes) {
        this.serdes = serdes;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.vms = context.getStateStore(Names.VM_STORE);
        this.hosts = context.getStateStore(Names.HOST_STORE);
        this.deadLetters = context.metrics().addRateTotalSensor("memdrs", "dead-letters", "dead-letter",
                org.apache.kafka.common.metrics.Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        long now = context.currentSystemTimeMs();
        if (record.value() == null) {
            deadLetter(record, "NULL_VALUE", "value is null (a tombstone on a sample topic)");
            return;
        }
        try {
            if (topic.equals(Topics.HOST_SAMPLES)) {
                HostMemorySample sample = serdes.hostSample().decode(record.value());
                Optional<String> problem = SampleValidator.problem(sample, now);
                if (problem.isPresent()) {
                    deadLetter(record, "INVALID_VALUE", problem.get());
                } else {
                    onHostSample(sample);
                }
            } else {
                VmMemorySample sample = serdes.vmSample().decode(record.value());
                Optional<String> problem = SampleValidator.problem(sample, now);
                if (problem.isPresent()) {
                    deadLetter(record, "INVALID_VALUE", problem.get());
                } else {
                    onVmSample(sample);
                }
            }
        } catch (RecordDecodingException e) {
            deadLetter(record, e.failure().name(), e.getMessage());
        }
    }

    private void onVmSample(VmMemorySample sample) {
        String cluster = sample.getCluster();
        String key = Names.key(cluster, sample.getVmUuid());
        VmMemorySample previous = vms.get(key);
        if (previous != null && previous.getSampleTimeMillis() > sample.getSampleTimeMillis()) {
            return; // an older poll arriving late: the model already knows better
        }
        if (previous != null) {
            String oldHostKey = Names.key(cluster, previous.getHost());
            HostLoad oldHost = hosts.get(oldHostKey);
            if (oldHost != null) {
                hosts.put(oldHostKey, HostLoads.withVm(oldHost, previous, -1));
            }
        }
        String hostKey = Names.key(cluster, sample.getHost());
        HostLoad host = hosts.get(hostKey);
        hosts.put(hostKey, HostLoads.withVm(host == null ? HostLoads.empty(cluster, sample.getHost()) : host, sample, 1));
        vms.put(key, sample);
    }

    private void onHostSample(HostMemorySample sample) {
        String hostKey = Names.key(sample.getCluster(), sample.getHost());
        HostLoad host = hosts.get(hostKey);
        HostLoad updated = HostLoads.withHostSample(host == null ? HostLoads.empty(sample.getCluster(), sample.getHost()) : host, sample);
        hosts.put(hostKey, updated);
        context.forward(new Record<>(sample.getCluster(), serdes.hostLoad().encode(updated), sample.getSampleTimeMillis()),
                Names.HOST_LOAD_SINK);
    }

    private void deadLetter(Record<String, byte[]> record, String failure, String reason) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        deadLetters.record();
        context.forward(new Record<>(record.key(), record.value(), record.timestamp(),
                DeadLetter.headers(failure, reason, meta.topic(), meta.partition(), meta.offset())), Names.DEAD_LETTER_SINK);
    }
}
