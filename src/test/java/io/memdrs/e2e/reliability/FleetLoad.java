package io.memdrs.e2e.reliability;

import io.memdrs.stream.topology.StreamSerdes;
import io.memdrs.topics.Topics;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The samples of a whole fleet as its collectors would send them: {@code clusters} clusters of {@code hosts} hosts
 * with {@code vmsPerHost} VMs each, every VM and host sampled once per poll period, the polls spread evenly over the
 * period (a tick every 100 ms). The period can change while it runs: 10 s is the normal rate, 1 s a burst of ten
 * times that. Host samples always say 10 s, the configured period, so nothing goes stale either way.
 */
final class FleetLoad implements AutoCloseable {
    private static final long TICK_MILLIS = 100;

    private final int clusters;
    private final int hosts;
    private final int vmsPerHost;
    private final KafkaProducer<String, byte[]> producer;
    private final StreamSerdes serdes = StreamSerdes.standard();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fleet-load");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong sent = new AtomicLong();
    private volatile int pollSeconds = 10;
    private double due;
    private int nextCluster;

    FleetLoad(String bootstrap, int clusters, int hosts, int vmsPerHost) {
        this.clusters = clusters;
        this.hosts = hosts;
        this.vmsPerHost = vmsPerHost;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.BATCH_SIZE_CONFIG, 262_144), new StringSerializer(), new ByteArraySerializer());
        ticker.scheduleAtFixedRate(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Every VM and host sampled once per {@code seconds} from now on. */
    void pollEvery(int seconds) {
        pollSeconds = seconds;
    }

    long sent() {
        return sent.get();
    }

    int vms() {
        return clusters * hosts * vmsPerHost;
    }

    int hostCount() {
        return clusters * hosts;
    }

    /** Records per second at the current period. */
    double rate() {
        return (double) clusters * hosts * (vmsPerHost + 1) / pollSeconds;
    }

    private void tick() {
        due += (double) clusters * TICK_MILLIS / (pollSeconds * 1000.0);
        while (due >= 1) {
            due -= 1;
            poll("load-" + nextCluster);
            nextCluster = (nextCluster + 1) % clusters;
        }
    }

    private void poll(String cluster) {
        long now = System.currentTimeMillis();
        for (int h = 0; h < hosts; h++) {
            String host = "h" + h;
            for (int v = 0; v < vmsPerHost; v++) {
                long usage = (4 + (h + v) % 5) * Samples.GIB;
                send(Topics.VM_SAMPLES, cluster, serdes.vmSample().encode(
                        Samples.vm(cluster, host, cluster + "-" + host + "-vm" + v, usage, now)));
            }
            send(Topics.HOST_SAMPLES, cluster, serdes.hostSample().encode(
                    Samples.host(cluster, host, 128 * Samples.GIB, 10, now)));
        }
    }

    private void send(String topic, String cluster, byte[] value) {
        producer.send(new ProducerRecord<>(topic, cluster, value));
        sent.incrementAndGet();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
    }
}
