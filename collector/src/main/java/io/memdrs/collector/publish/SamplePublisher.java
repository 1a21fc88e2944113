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
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets samples to Kafka without ever blocking the poll loop and without losing them during a broker outage
 * shorter than the outage tolerance. The poll thread only encodes and enqueues into a bounded buffer; a sender
 * thread hands records, in order, to an idempotent producer (acks=all, lz4) whose delivery timeout is the outage
 * tolerance, so it retries through the outage itself without duplicates.
 *
 * <p>A record the producer refuses before taking it (no metadata for the topic or a full producer buffer within
 * {@code max.block.ms}: Kafka is unreachable) stays with the sender, which offers it again until the record is older
 * than the outage tolerance. A sample that is evicted from a full buffer, outlives the tolerance, or is still
 * pending at shutdown is counted in {@code memdrs_collector_samples_lost_total} by reason and logged, never
 * dropped in silence.
 */
public final class SamplePublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SamplePublisher.class);

    /** A record waiting for the producer, and the time (System.nanoTime) after which it counts as lost. */
    private record Pending(ProducerRecord<String, byte[]> record, long deadlineNanos) {}

    private final Producer<String, byte[]> producer;
    private final String vmTopic;
    private final String hostTopic;
    private final Duration outageTolerance;
    private final CollectorMetrics metrics;
    private final BlockingQueue<Pending> pending;
    private final AvroSerde<VmMemorySample> vmSerde = AvroSerde.of(VmMemorySample.class);
    private final AvroSerde<HostMemorySample> hostSerde = AvroSerde.of(HostMemorySample.class);
    private final Thread sender;
    private final AtomicLong unacknowledged = new AtomicLong();
    private final AtomicLong lastLossLog = new AtomicLong();
    private volatile boolean running = true;
    private boolean closed;
    /** Set by the sender after a refusal during shutdown: the remaining records are counted lost, not tried. */
    private boolean givingUp;

    public SamplePublisher(Map<String, String> kafka, String vmTopic, String hostTopic, Duration outageTolerance,
                           int bufferRecords, CollectorMetrics metrics) {
        this.producer = new KafkaProducer<>(producerConfig(kafka, outageTolerance), new StringSerializer(),
                new ByteArraySerializer());
        this.vmTopic = vmTopic;
        this.hostTopic = hostTopic;
        this.outageTolerance = outageTolerance;
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
        int linger = 20;
        int delivery = (int) Math.max(linger + 500, Math.min(Integer.MAX_VALUE, outageTolerance.toMillis()));
        config.put(ProducerConfig.LINGER_MS_CONFIG, linger);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery);
        // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms: short tolerances get short requests.
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(15_000, delivery - linger));
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
        Pending entry = new Pending(record, System.nanoTime() + outageTolerance.toNanos());
        while (!pending.offer(entry)) {
            Pending evicted = pending.poll();
            if (evicted != null) {
                lost("buffer_full", "buffer of " + (pending.size() + 1) + " samples is full; oldest sample evicted");
            }
        }
    }

    private void sendLoop() {
        while (running || !pending.isEmpty()) {
            Pending entry;
            try {
                entry = pending.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (entry == null) {
                continue;
            }
            if (givingUp) {
                lost("shutdown", "sample to " + entry.record().topic() + " not sent before shutdown");
                continue;
            }
            handOver(entry);
        }
    }

    /** Gives one record to the producer; while Kafka refuses it up front, keeps it and offers it again. */
    private void handOver(Pending entry) {
        ProducerRecord<String, byte[]> record = entry.record();
        while (true) {
            Delivery delivery = new Delivery(record.topic());
            unacknowledged.incrementAndGet();
            try {
                producer.send(record, delivery);
            } catch (RuntimeException e) {
                if (!delivery.completed) {
                    unacknowledged.decrementAndGet();
                    lost("send_failed", "sample to " + record.topic() + " refused: " + e);
                }
                return;
            } finally {
                delivery.handingOver = false;
            }
            if (!delivery.refusedUpFront) {
                return;
            }
            unacknowledged.decrementAndGet();
            if (System.nanoTime() - entry.deadlineNanos() > 0) {
                lost("expired", "sample to " + record.topic() + " not accepted by Kafka within the outage tolerance "
                        + outageTolerance + ": " + delivery.refusal);
                return;
            }
            if (!running) {
                givingUp = true;
                lost("shutdown", "sample to " + record.topic() + " not sent before shutdown: " + delivery.refusal);
                return;
            }
            // The producer already waited max.block.ms for Kafka; offer the same record again.
        }
    }

    /**
     * The producer's callback for one record. A retriable failure reported on the sender thread while it is still
     * inside {@code send} means the record never entered the producer: the sender keeps it. Every other outcome is
     * final: acknowledged, or lost with its reason.
     */
    private final class Delivery implements Callback {
        private final String topic;
        private final Thread senderThread = Thread.currentThread();
        private boolean handingOver = true;
        private boolean refusedUpFront;
        private volatile boolean completed;
        private Exception refusal;

        Delivery(String topic) {
            this.topic = topic;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception error) {
            if (error instanceof RetriableException && handingOver && Thread.currentThread() == senderThread) {
                refusedUpFront = true;
                refusal = error;
                return;
            }
            completed = true;
            unacknowledged.decrementAndGet();
            if (error == null) {
                metrics.sampleSent(topic);
            } else {
                lost("delivery_failed", "sample to " + topic + " not delivered: " + error);
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

    /**
     * Waits up to {@code timeout} for everything enqueued to be acknowledged (or counted lost); true if the backlog
     * is empty. Never waits longer, also while Kafka is away.
     */
    public boolean drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (backlog() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return backlog() == 0;
    }

    /** Sends what Kafka accepts within 10 s, then counts the rest as lost ("shutdown") and closes the producer. */
    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    /** As {@link #close()}, waiting at most {@code drainTimeout} for Kafka; a second call does nothing. */
    public void close(Duration drainTimeout) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        drain(drainTimeout);
        running = false;
        try {
            sender.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long left = backlog();
        if (left > 0) {
            log.warn("closing with {} samples not acknowledged by Kafka; they count as lost", left);
        }
        producer.close(Duration.ofSeconds(5));
    }
}
