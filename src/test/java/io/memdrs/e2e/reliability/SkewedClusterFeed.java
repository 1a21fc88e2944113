package io.memdrs.e2e.reliability;

import io.memdrs.stream.topology.StreamSerdes;
import io.memdrs.topics.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Collectors of clusters that never get balanced: six VMs of 8 GiB on h1 and one of 2 GiB on h2 (64 GiB each),
 * polled every 500 ms. Nobody executes the moves, so with a short recommendation lifetime every other round
 * recommends again: a steady stream of rounds and recommendation ids to count.
 */
final class SkewedClusterFeed implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "skewed-cluster-feed");
        t.setDaemon(true);
        return t;
    });
    private final StreamSerdes serdes = StreamSerdes.standard();

    SkewedClusterFeed(String bootstrap, List<String> clusters) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer());
        scheduler.scheduleAtFixedRate(() -> clusters.forEach(this::poll), 0, 500, TimeUnit.MILLISECONDS);
    }

    private void poll(String cluster) {
        long now = System.currentTimeMillis();
        for (int v = 0; v < 6; v++) {
            send(Topics.VM_SAMPLES, cluster, serdes.vmSample().encode(
                    Samples.vm(cluster, "h1", cluster + "-vm" + v, 8 * Samples.GIB, now)));
        }
        send(Topics.VM_SAMPLES, cluster, serdes.vmSample().encode(
                Samples.vm(cluster, "h2", cluster + "-vm9", 2 * Samples.GIB, now)));
        for (String host : List.of("h1", "h2")) {
            send(Topics.HOST_SAMPLES, cluster, serdes.hostSample().encode(
                    Samples.host(cluster, host, 64 * Samples.GIB, 1, now)));
        }
    }

    private void send(String topic, String cluster, byte[] value) {
        producer.send(new ProducerRecord<>(topic, cluster, value));
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        producer.close();
    }
}
