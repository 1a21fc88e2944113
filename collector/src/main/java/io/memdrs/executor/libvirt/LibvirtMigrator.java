package io.memdrs.executor.libvirt;

import io.memdrs.avro.MigrationJobStats;
import io.memdrs.collector.libvirt.DomainJobs;
import io.memdrs.collector.libvirt.LibvirtEventLoop;
import io.memdrs.executor.ExecutorSettings;
import io.memdrs.executor.JobStatistics;
import io.memdrs.executor.MigrationJob;
import io.memdrs.executor.MigrationOutcome;
import io.memdrs.executor.Migrator;
import io.memdrs.executor.VmPlacement;
import io.memdrs.executor.VmPlacement.Where;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live-migrates with libvirt, as a managed migration driven from here: the service holds a connection to the
 * source and to the target ({@code virDomainMigrate}: live, persistent on the target, undefined on the source,
 * auto-converge if configured, the bandwidth cap). While the job runs it is read every 250 ms
 * ({@code virDomainGetJobStats}): the first reading sets the maximum downtime, a job past its deadline is aborted.
 * A job whose connection to the target's libvirtd is lost (the daemon stopped, the network cut) is aborted at once:
 * the VM resumes on its source. A completed migration's statistics are read on the target (the incoming job); a
 * failed one keeps its last reading.
 */
public final class LibvirtMigrator implements Migrator {
    private static final Logger log = LoggerFactory.getLogger(LibvirtMigrator.class);
    /** VIR_MIGRATE_LIVE, _PERSIST_DEST, _UNDEFINE_SOURCE, _AUTO_CONVERGE. */
    static final long LIVE = 1;
    static final long PERSIST_DEST = 8;
    static final long UNDEFINE_SOURCE = 16;
    static final long AUTO_CONVERGE = 8192;
    private static final long PROGRESS_EVERY_MILLIS = 250;

    private final ExecutorSettings settings;
    private final Clock clock;

    public LibvirtMigrator(ExecutorSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        LibvirtEventLoop.ensureRunning();
    }

    /** The flags every migration is asked with. */
    long flags() {
        return LIVE | PERSIST_DEST | UNDEFINE_SOURCE | (settings.autoConverge() ? AUTO_CONVERGE : 0);
    }

    @Override
    public VmPlacement locate(String vmUuid, String sourceHost, String targetHost) {
        try {
            VmPlacement onSource = look(vmUuid, sourceHost, true);
            if (onSource != null) {
                return onSource;
            }
            VmPlacement onTarget = look(vmUuid, targetHost, false);
            return onTarget != null ? onTarget : VmPlacement.of(Where.GONE, "");
        } catch (LibvirtException e) {
            return VmPlacement.of(Where.UNREACHABLE, message(e));
        }
    }

    /** What {@code host} knows of the VM; null when it has no such domain. */
    private VmPlacement look(String vmUuid, String host, boolean source) throws LibvirtException {
        Connect c = new Connect(settings.uriOf(host), true);
        try {
            Domain d;
            try {
                d = c.domainLookupByUUIDString(vmUuid);
            } catch (LibvirtException e) {
                if (e.getError() != null && e.getError().getCode() == org.libvirt.Error.ErrorNumber.VIR_ERR_NO_DOMAIN) {
                    return null;
                }
                throw e;
            }
            try {
                DomainInfo.DomainState state = d.getInfo().state;
                if (!source) {
                    return state == DomainInfo.DomainState.VIR_DOMAIN_RUNNING ? VmPlacement.of(Where.ON_TARGET, "")
                            : null;
                }
                if (state != DomainInfo.DomainState.VIR_DOMAIN_RUNNING) {
                    return VmPlacement.of(Where.NOT_RUNNING, state.name());
                }
                DomainJobs.Reading job = currentJob(d);
                return job != null && job.active() ? VmPlacement.of(Where.MIGRATING, "job type " + job.type())
                        : VmPlacement.onSource();
            } finally {
                d.free();
            }
        } finally {
            c.close();
        }
    }

    @Override
    public MigrationOutcome migrate(MigrationJob job) {
        String uuid = job.recommendation().getVmUuid();
        long started = clock.millis();
        AtomicReference<DomainJobs.Reading> last = new AtomicReference<>();
        AtomicBoolean aborted = new AtomicBoolean();
        AtomicBoolean targetLost = new AtomicBoolean();
        Connect source = null;
        Connect target = null;
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "migration-watch " + uuid);
            t.setDaemon(true);
            return t;
        });
        try {
            source = new Connect(settings.uriOf(job.recommendation().getSourceHost()));
            target = new Connect(settings.uriOf(job.recommendation().getTargetHost()));
            Domain domain = source.domainLookupByUUIDString(uuid);
            long deadline = started + settings.jobDeadline().toMillis();
            AtomicBoolean downtimeSet = new AtomicBoolean();
            Connect targetConnection = target;
            watch.scheduleWithFixedDelay(() -> watch(job, domain, targetConnection, deadline, downtimeSet, aborted,
                            targetLost, last),
                    PROGRESS_EVERY_MILLIS, PROGRESS_EVERY_MILLIS, TimeUnit.MILLISECONDS);
            Domain moved = domain.migrate(target, flags(), null, null, settings.bandwidthMiBps());
            watch.shutdownNow();
            MigrationJobStats stats = completedStats(moved, last.get());
            moved.free();
            return new MigrationOutcome(true, null, started, clock.millis(), stats);
        } catch (LibvirtException e) {
            watch.shutdownNow();
            String error = (targetLost.get() ? "the connection to the target's libvirtd was lost: aborted; "
                    : aborted.get() ? "aborted at the deadline of " + settings.jobDeadline().toSeconds() + " s; " : "")
                    + "libvirt: " + message(e);
            DomainJobs.Reading reading = last.get();
            return new MigrationOutcome(false, error, started, clock.millis(),
                    reading == null ? null : JobStatistics.from(reading.params()));
        } finally {
            watch.shutdownNow();
            close(source);
            close(target);
        }
    }

    private void watch(MigrationJob job, Domain domain, Connect target, long deadline, AtomicBoolean downtimeSet,
                       AtomicBoolean aborted, AtomicBoolean targetLost, AtomicReference<DomainJobs.Reading> last) {
        try {
            if (!target.isAlive() && targetLost.compareAndSet(false, true)) {
                // The target daemon is gone (stopped, crashed, network cut): the copy could go on into its orphaned
                // QEMU, but libvirt could not finish it there. Stop now; the VM resumes on its source.
                log.warn("migration of {}: the connection to the target's libvirtd was lost; aborting the job",
                        job.describe());
                domain.abortJob();
                return;
            }
            DomainJobs.Reading reading = currentJob(domain);
            if (reading == null || !reading.active()) {
                return;
            }
            last.set(reading);
            if (downtimeSet.compareAndSet(false, true)) {
                domain.migrateSetMaxDowntime(settings.maxDowntime().toMillis());
            }
            if (clock.millis() > deadline && aborted.compareAndSet(false, true)) {
                log.warn("migration of {} past its deadline of {} s: aborting the job", job.describe(),
                        settings.jobDeadline().toSeconds());
                domain.abortJob();
            }
        } catch (LibvirtException | RuntimeException e) {
            log.debug("reading the migration job of {}: {}", job.describe(), e.getMessage());
        }
    }

    /** The completed incoming job's statistics on the target, else the last progress reading on the source. */
    private static MigrationJobStats completedStats(Domain moved, DomainJobs.Reading last) {
        try {
            DomainJobs.Reading completed = DomainJobs.completed(moved);
            if (!completed.params().isEmpty()) {
                return JobStatistics.from(completed.params());
            }
        } catch (RuntimeException e) {
            log.debug("no completed job statistics on the target: {}", e.getMessage());
        }
        return last == null ? null : JobStatistics.from(last.params());
    }

    private static DomainJobs.Reading currentJob(Domain d) {
        try {
            return DomainJobs.current(d);
        } catch (RuntimeException e) {
            return null; // drivers without job statistics (the test driver)
        }
    }

    private static String message(LibvirtException e) {
        return e.getError() != null && e.getError().getMessage() != null ? e.getError().getMessage() : e.getMessage();
    }

    private static void close(Connect c) {
        if (c != null) {
            try {
                c.close();
            } catch (LibvirtException e) {
                log.debug("closing a libvirt connection: {}", e.getMessage());
            }
        }
    }
}
