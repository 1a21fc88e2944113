package io.memdrs.executor.service;

import io.memdrs.avro.ControlEvent;
import io.memdrs.avro.HostLoad;
import io.memdrs.avro.MigrationEvent;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.avro.MigrationStatus;
import io.memdrs.executor.CostPrediction;
import io.memdrs.executor.ExecutorSettings;
import io.memdrs.executor.HostLoadBoard;
import io.memdrs.executor.JobScheduler;
import io.memdrs.executor.MigrationEvents;
import io.memdrs.executor.MigrationJob;
import io.memdrs.executor.MigrationOutcome;
import io.memdrs.executor.Migrator;
import io.memdrs.executor.PauseSwitches;
import io.memdrs.executor.Preflight;
import io.memdrs.executor.VmPlacement;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.topics.DeadLetter;
import io.memdrs.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference migration service. Reads {@code memdrs.recommendations} (read_committed, a consumer group), and
 * beside it the latest host loads and the control topic (for the kill switch). Each batch of recommendations is
 * queued per host ({@link JobScheduler}); a recommendation is checked ({@link Preflight}) when its turn comes, so
 * that it sees the moves before it, and is then skipped with its reason, described (dry run), or migrated. Every
 * outcome is a {@code MigrationEvent}; STARTED is on the broker before libvirt is asked. The batch's offsets are
 * committed once every event of it is: after a crash the batch is read again, and the checks (the VM is on its
 * source, no job of it runs) keep a move from being made twice. Nothing is retried: a failed move is reported, and
 * the DRS's next round decides anew.
 */
public final class MigrationService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MigrationService.class);

    private final ExecutorSettings settings;
    private final Migrator migrator;
    private final Clock clock;
    private final Preflight preflight;
    private final MigrationEvents events;
    private final HostLoadBoard board = new HostLoadBoard();
    private final PauseSwitches pauses = new PauseSwitches();
    private final AvroSerde<MigrationRecommendation> recommendations = AvroSerde.of(MigrationRecommendation.class);
    private final AvroSerde<HostLoad> hostLoads = AvroSerde.of(HostLoad.class);
    private final AvroSerde<ControlEvent> controls = AvroSerde.of(ControlEvent.class);
    private final AvroSerde<MigrationEvent> eventSerde = AvroSerde.of(MigrationEvent.class);
    private final KafkaConsumer<String, byte[]> work;
    private final KafkaConsumer<String, byte[]> world;
    private final KafkaProducer<String, byte[]> producer;
    private final ExecutorService jobs;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Map<MigrationStatus, Long> counts = new java.util.EnumMap<>(MigrationStatus.class);
    private volatile Thread loop;

    public MigrationService(ExecutorSettings settings, Migrator migrator, Clock clock) {
        this.settings = settings;
        this.migrator = migrator;
        this.clock = clock;
        this.preflight = new Preflight(settings);
        this.events = new MigrationEvents(settings);
        Map<String, Object> consumer = new HashMap<>(settings.kafka());
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        // a batch takes as long as its migrations: the group must not evict the service meanwhile
        consumer.putIfAbsent(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                (int) Math.min(Integer.MAX_VALUE, settings.jobDeadline().multipliedBy(4).plusMinutes(5).toMillis()));
        this.work = new KafkaConsumer<>(consumer, new StringDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> reader = new HashMap<>(settings.kafka());
        reader.remove(ConsumerConfig.GROUP_ID_CONFIG);
        reader.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        reader.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.world = new KafkaConsumer<>(reader, new StringDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> producerConfig = new HashMap<>(settings.kafka());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        this.jobs = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "migration");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs until {@link #close()}: reads recommendations and acts on them. */
    public void run() {
        loop = Thread.currentThread();
        try {
            assignWorld();
            work.subscribe(List.of(Topics.RECOMMENDATIONS));
            while (!closing.get()) {
                readWorld();
                ConsumerRecords<String, byte[]> batch;
                try {
                    batch = work.poll(Duration.ofMillis(500));
                } catch (WakeupException e) {
                    break;
                }
                if (batch.isEmpty()) {
                    continue;
                }
                readWorld();
                handle(batch);
                producer.flush();
                commit();
            }
        } finally {
            producer.flush();
            producer.close();
            work.close();
            world.close();
            jobs.shutdownNow();
        }
    }

    /** Commits the batch's offsets; a wake-up from {@link #close()} that arrived meanwhile does not cancel it. */
    private void commit() {
        try {
            work.commitSync();
        } catch (WakeupException e) {
            work.commitSync();
        }
    }

    /** Events published so far, by status. */
    public synchronized Map<MigrationStatus, Long> counts() {
        return Map.copyOf(counts);
    }

    private void assignWorld() {
        List<TopicPartition> control = partitions(Topics.CONTROL);
        List<TopicPartition> loads = partitions(Topics.HOST_LOAD);
        List<TopicPartition> all = new ArrayList<>(control);
        all.addAll(loads);
        world.assign(all);
        world.seekToBeginning(control);
        Map<TopicPartition, Long> since = new HashMap<>();
        long from = clock.millis() - settings.hostLoadMaxAge().toMillis();
        loads.forEach(tp -> since.put(tp, from));
        Map<TopicPartition, OffsetAndTimestamp> offsets = world.offsetsForTimes(since);
        Map<TopicPartition, Long> ends = world.endOffsets(loads);
        for (TopicPartition tp : loads) {
            OffsetAndTimestamp at = offsets.get(tp);
            world.seek(tp, at == null ? ends.get(tp) : at.offset());
        }
    }

    private List<TopicPartition> partitions(String topic) {
        List<TopicPartition> tps = new ArrayList<>();
        for (PartitionInfo p : world.partitionsFor(topic, Duration.ofSeconds(60))) {
            tps.add(new TopicPartition(topic, p.partition()));
        }
        return tps;
    }

    /** Takes in every host load and control event the broker has now. */
    private void readWorld() {
        ConsumerRecords<String, byte[]> records;
        do {
            records = world.poll(Duration.ofMillis(50));
            for (ConsumerRecord<String, byte[]> r : records) {
                try {
                    if (r.topic().equals(Topics.HOST_LOAD)) {
                        board.offer(hostLoads.decode(r.value()));
                    } else {
                        pauses.offer(controls.decode(r.value()));
                    }
                } catch (RuntimeException e) {
                    // the stream app dead-letters bad input of these topics; here it is only not taken in
                    log.warn("ignoring an unreadable record at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
                }
            }
        } while (!records.isEmpty());
    }

    private void handle(ConsumerRecords<String, byte[]> batch) {
        JobScheduler<MigrationRecommendation> scheduler = new JobScheduler<>(settings.maxPerHost());
        for (ConsumerRecord<String, byte[]> r : batch) {
            MigrationRecommendation rec;
            try {
                rec = recommendations.decode(r.value());
            } catch (RuntimeException e) {
                deadLetter(r, e);
                continue;
            }
            if (settings.actsFor(rec.getCluster())) {
                scheduler.queue(rec, rec.getSourceHost(), rec.getTargetHost());
            }
        }
        CompletionService<Finished> running = new ExecutorCompletionService<>(jobs);
        int inFlight = 0;
        while (!scheduler.idle()) {
            for (MigrationRecommendation rec : scheduler.startable()) {
                Optional<MigrationJob> job = check(rec);
                if (job.isEmpty() || settings.dryRun()) {
                    job.ifPresent(j -> publish(events.wouldMigrate(j, clock.millis())));
                    scheduler.finished(rec);
                    continue;
                }
                MigrationJob j = job.get();
                publishNow(events.started(j, clock.millis()));
                log.info("migrating {} {}", j.describe(), events.howDescribed());
                running.submit(() -> new Finished(j, migrator.migrate(j)));
                inFlight++;
            }
            if (inFlight > 0) {
                Finished done = take(running);
                inFlight--;
                finish(done);
                scheduler.finished(done.job().recommendation());
            }
        }
    }

    /** The recommendation as a job, or empty once its SKIPPED event is published. */
    private Optional<MigrationJob> check(MigrationRecommendation rec) {
        long now = clock.millis();
        VmPlacement placement = migrator.locate(rec.getVmUuid(), rec.getSourceHost(), rec.getTargetHost());
        Preflight.World seen = new Preflight.World(now, pauses.pausedBy(rec.getCluster()), placement,
                board.latest(rec.getCluster(), rec.getTargetHost()),
                board.arrivedSinceLatest(rec.getCluster(), rec.getTargetHost()));
        Optional<String> skip = preflight.skipReason(rec, seen);
        if (skip.isPresent()) {
            log.info("skipping {} [{}]: {}", rec.getVmName(), rec.getId(), skip.get());
            publish(events.skipped(rec, skip.get(), now));
            return Optional.empty();
        }
        MigrationJob job = new MigrationJob(rec, CostPrediction.of(rec, settings));
        if (settings.dryRun()) {
            log.info("dry run: would migrate {} {}", job.describe(), events.howDescribed());
        }
        return Optional.of(job);
    }

    private void finish(Finished done) {
        MigrationOutcome o = done.outcome();
        MigrationRecommendation rec = done.job().recommendation();
        if (o.succeeded()) {
            board.arrived(rec.getCluster(), rec.getTargetHost(), rec.getDemandKiB(), o.endedAtMillis());
            log.info("migrated {} in {} ms", done.job().describe(), o.endedAtMillis() - o.startedAtMillis());
        } else {
            log.warn("migration of {} failed: {}", done.job().describe(), o.error());
        }
        publishNow(events.ended(done.job(), o));
    }

    private record Finished(MigrationJob job, MigrationOutcome outcome) {}

    private static Finished take(CompletionService<Finished> running) {
        try {
            Future<Finished> f = running.take();
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while migrations run", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a migration job failed unexpectedly", e.getCause());
        }
    }

    private void publish(MigrationEvent event) {
        producer.send(record(event));
        count(event);
    }

    /** Sends and waits for the broker: a STARTED is stored before libvirt is asked, an ending before the next move. */
    private void publishNow(MigrationEvent event) {
        try {
            producer.send(record(event)).get();
            count(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + event.getStatus(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish the " + event.getStatus() + " event of "
                    + event.getRecommendationId() + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private ProducerRecord<String, byte[]> record(MigrationEvent event) {
        return new ProducerRecord<>(Topics.MIGRATION_EVENTS, event.getCluster(), eventSerde.encode(event));
    }

    private synchronized void count(MigrationEvent event) {
        counts.merge(event.getStatus(), 1L, Long::sum);
    }

    private void deadLetter(ConsumerRecord<String, byte[]> r, RuntimeException e) {
        log.warn("dead-lettering an unreadable recommendation at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
        producer.send(new ProducerRecord<>(Topics.DEAD_LETTERS, null, r.key(), r.value(),
                DeadLetter.headers("UNREADABLE_RECOMMENDATION", e.getMessage(), r.topic(), r.partition(), r.offset())));
    }

    /** Stops after the batch at hand (its migrations finish, its events are published and its offsets committed). */
    @Override
    public void close() {
        closing.set(true);
        work.wakeup();
    }
}
