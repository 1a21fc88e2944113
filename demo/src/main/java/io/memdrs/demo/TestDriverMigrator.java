package io.memdrs.demo;

import io.memdrs.avro.MigrationEvent;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.collector.libvirt.LibvirtUnavailableException;
import io.memdrs.config.ConfigSource;
import io.memdrs.executor.CostPrediction;
import io.memdrs.executor.ExecutorSettings;
import io.memdrs.executor.MigrationEvents;
import io.memdrs.executor.MigrationJob;
import io.memdrs.executor.MigrationOutcome;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.topics.Topics;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * The demo's migration executor: "live-migrates" a domain between two test-driver hosts by taking its live XML off
 * the source and starting it on the target, same UUID and memory, which is what the collectors then observe. It
 * publishes the {@code MigrationEvent}s the reference migration service publishes (STARTED, then SUCCEEDED or FAILED;
 * SKIPPED with the reason), without job statistics: the test driver copies no memory, so nothing calibrates the
 * DRS's cost model here.
 */
final class TestDriverMigrator implements AutoCloseable {
    private final ExecutorSettings settings;
    private final MigrationEvents events;
    private final AvroSerde<MigrationEvent> serde = AvroSerde.of(MigrationEvent.class);
    private final KafkaProducer<String, byte[]> producer;

    TestDriverMigrator(String bootstrap) {
        this.settings = ExecutorSettings.from(ConfigSource.of(Map.of("executor.name", "memdrs-demo",
                "executor.dry-run", "false", "kafka.bootstrap.servers", bootstrap)));
        this.events = new MigrationEvents(settings);
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Moves the recommendation's VM from {@code source} to {@code target}; false if it is no longer on the source. */
    boolean migrate(MigrationRecommendation rec, DemoHost source, DemoHost target) throws LibvirtUnavailableException {
        String uuid = rec.getVmUuid();
        MigrationJob job = new MigrationJob(rec, CostPrediction.of(rec, settings));
        long started = System.currentTimeMillis();
        String xml;
        try {
            xml = source.call("take " + uuid, c -> {
                Domain d;
                try {
                    d = c.domainLookupByUUIDString(uuid);
                } catch (LibvirtException e) {
                    return null;
                }
                try {
                    String desc = d.getXMLDesc(0);
                    d.destroy();
                    d.undefine();
                    return desc;
                } finally {
                    d.free();
                }
            });
        } catch (LibvirtUnavailableException e) {
            skipped(rec, "source " + rec.getSourceHost() + " unreachable: " + e.getMessage());
            throw e;
        }
        if (xml == null) {
            skipped(rec, "the VM is no longer on " + rec.getSourceHost());
            return false;
        }
        publish(events.started(job, started));
        try {
            target.call("start " + uuid, c -> {
                Domain d = c.domainDefineXML(xml);
                d.create();
                d.free();
                return null;
            });
        } catch (LibvirtUnavailableException e) {
            publish(events.ended(job, new MigrationOutcome(false, "libvirt: " + e.getMessage(), started,
                    System.currentTimeMillis(), null)));
            throw e;
        }
        publish(events.ended(job, new MigrationOutcome(true, null, started, System.currentTimeMillis(), null)));
        return true;
    }

    void skipped(MigrationRecommendation rec, String reason) {
        publish(events.skipped(rec, reason, System.currentTimeMillis()));
    }

    private void publish(MigrationEvent event) {
        producer.send(new ProducerRecord<>(Topics.MIGRATION_EVENTS, event.getCluster(), serde.encode(event)));
    }

    @Override
    public void close() {
        producer.close();
    }
}
