package io.memdrs.collector.publish;

import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.collector.metrics.CollectorMetrics;
import io.memdrs.schemas.AvroSerde;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets samples to Kafka without ever blocking the poll loop and without losing them during a broker outage
 * shorter than the outage tolerance. The poll thread only encodes and enqueues into a bounded buffer; a sender
 * thread hands records to an idempotent producer (acks=all, lz4) whose delivery timeout is the outage tolerance, so
 * it retries through the outage itself. A sample that is evicted from a full buffer or whose delivery times out is
 * counted and logged, never dropped in silence.
 */
public final class SamplePublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SamplePublisher.class);

    private final Producer<String, byte[]> producer;
    private final String vmTopic;
    private final String hostTopic;
    private final CollectorMetrics metrics;
    private final BlockingQueue<ProducerRecord<String, byte[]>> pending;
    private final AvroSerde<VmMemorySample> vmSerde = AvroSerde.of(VmMemorySample.class);
    private final AvroSerde<HostMemorySample> hostSerde = AvroSerde.of(HostMemorySample.class);
    private final Thread sender;
    private final AtomicLong unacknowledged = new AtomicLong();
    private final AtomicLong lastLossLog = new AtomicLong();
    private volatile boolean running = true;

    public SamplePublisher(Map<String, String> kafka, String vmTopic, String hostTopic, Duration outageTolerance,
                           int bufferRecords, CollectorMetrics metrics) {
        this.producer = new KafkaProducer<>(producerConfig(kafka, outageTolerance), new StringSerializer(),
                new ByteArraySerializer());
        this.vmTopic = vmTopic;
        this.hostTopic = hostTopic;
        this.metrics = metrics;
        this.pending = new ArrayBlockingQueue<>(bufferRecords);
        metrics.bufferGauge(pending::size, bufferRecords, unacknowledged::get);
        this.sender = new Thread(this::sendLoop, "memdrs-sample-sender");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /** Producer properties: ours first, then the operator's {@code kafka.} keys, which win. */
    static Map<String, Object> producerConfig(Map<String, String> kafka, Duration outageTolerance) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, outageTolerance.toMillis()));
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5_000);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "memdrs-collector");
        config.putAll(kafka);
        return config;
    }

    public void publish(VmMemorySample sample) {
        enqueue(new ProducerRecord<>(vmTopic, null, sample.getSampleTimeMillis(), sample.getCluster(), vmSerde.encode(sample)));
    }

    public void publish(HostMemorySample sample) {
        enqueue(new ProducerRecord<>(hostTopic, null, sample.getSampleTimeMillis(), sample.getCluster(), hostSerde.encode(sample)));
    }

    private void enqueue(ProducerRecord<String, byte[]> record) {
        while (!pending.offer(record)) {
            ProducerRecord<String, byte[]> evicted = pending.poll();
            if (evicted != null) {
                lost("buffer_full", "buffer of " + (pending.size() + 1) + " samples is full; oldest sample evicted");
            }
        }
    }

    private void sendLoop() {
        while (running || !pending.isEmpty()) {
            ProducerRecord<String, byte[]> record;
            try {
                record = pending.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (record == null) {
                continue;
            }
            send(record);
        }
    }

    private void send(ProducerRecord<String, byte[]> record) {
        while (true) {
            try {
                unacknowledged.incrementAndGet();
                producer.send(record, (metadata, error) -> {
                    unacknowledged.decrementAndGet();
                    if (error == null) {
                        metrics.sampleSent(record.topic());
                    } else {
                        lost("delivery_failed", "sample to " + record.topic() + " not delivered: " + error);
                    }
                });
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                // Metadata unavailable or producer buffer full: Kafka is away. Keep the record and try again.
                unacknowledged.decrementAndGet();
                if (!running) {
                    lost("shutdown", "sample to " + record.topic() + " not sent before shutdown");
                    return;
                }
            } catch (RuntimeException e) {
                unacknowledged.decrementAndGet();
                lost("send_failed", "sample to " + record.topic() + " refused: " + e);
                return;
            }
        }
    }

    private void lost(String reason, String message) {
        metrics.sampleLost(reason);
        long now = System.currentTimeMillis();
        long last = lastLossLog.get();
        if (now - last > 10_000 && lastLossLog.compareAndSet(last, now)) {
            log.warn("{} (further losses counted in memdrs_collector_samples_lost_total, logged every 10 s)", message);
        }
    }

    /** Samples enqueued or in flight, not yet acknowledged by Kafka. */
    public long backlog() {
        return pending.size() + unacknowledged.get();
    }

    /** Waits up to {@code timeout} for everything enqueued to be acknowledged; true if it was. */
    public boolean drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (backlog() > 0 && System.nanoTime() < deadline) {
            producer.flush();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return backlog() == 0;
    }

    @Override
    public void close() {
        drain(Duration.ofSeconds(10));
        running = false;
        try {
            sender.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
