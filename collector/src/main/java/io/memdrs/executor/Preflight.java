package io.memdrs.executor;

import io.memdrs.avro.HostLoad;
import io.memdrs.avro.HostState;
import io.memdrs.avro.MigrationRecommendation;
import java.util.Locale;
import java.util.Optional;

/**
 * The checks a recommendation passes before anything is migrated, in the order they are made: the cluster's kill
 * switch is off, the recommendation has not expired, the VM runs on its source and nothing else is moving it, and
 * the target's latest host load is fresh, active and has room for the VM's demand. The first that fails is the
 * reason the recommendation is skipped; a skipped recommendation is never retried (the next round decides anew).
 */
public final class Preflight {
    private final ExecutorSettings settings;

    public Preflight(ExecutorSettings settings) {
        this.settings = settings;
    }

    /** What is known about the world when a recommendation is checked. */
    public record World(long nowMillis, Optional<String> pausedBy, VmPlacement placement, Optional<HostLoad> targetLoad,
                        long targetArrivedKiB) {}

    /** Why {@code rec} must not be executed, or empty when it may. */
    public Optional<String> skipReason(MigrationRecommendation rec, World world) {
        if (world.pausedBy().isPresent()) {
            return Optional.of("migrations of cluster " + rec.getCluster() + " are paused by " + world.pausedBy().get());
        }
        if (world.nowMillis() > rec.getExpiresAtMillis()) {
            return Optional.of(String.format(Locale.ROOT, "expired %.1f s ago: the data it rests on is too old",
                    (world.nowMillis() - rec.getExpiresAtMillis()) / 1000.0));
        }
        if (rec.getSourceHost().equals(rec.getTargetHost())) {
            return Optional.of("source and target are the same host " + rec.getSourceHost());
        }
        VmPlacement p = world.placement();
        Optional<String> where = switch (p.where()) {
            case ON_SOURCE -> Optional.empty();
            case NOT_RUNNING -> Optional.of("VM is not running on its source " + rec.getSourceHost() + " (" + p.detail() + ")");
            case ON_TARGET -> Optional.of("VM is already on the target " + rec.getTargetHost());
            case GONE -> Optional.of("VM is on neither " + rec.getSourceHost() + " nor " + rec.getTargetHost());
            case MIGRATING -> Optional.of("a migration job of this VM is already running (" + p.detail() + ")");
            case UNREACHABLE -> Optional.of("cannot ask libvirt where the VM is: " + p.detail());
        };
        if (where.isPresent()) {
            return where;
        }
        if (world.targetLoad().isEmpty()) {
            return Optional.of("no host load known for the target " + rec.getTargetHost() + ": cannot vouch for room");
        }
        HostLoad t = world.targetLoad().get();
        long age = world.nowMillis() - t.getComputedAtMillis();
        if (age > settings.hostLoadMaxAge().toMillis()) {
            return Optional.of(String.format(Locale.ROOT, "the target %s's latest host load is %d s old (limit %d s)",
                    rec.getTargetHost(), age / 1000, settings.hostLoadMaxAge().toSeconds()));
        }
        if (t.getState() != HostState.ACTIVE) {
            return Optional.of("the target " + rec.getTargetHost() + " is " + t.getState());
        }
        if (t.getCapacityKiB() <= 0) {
            return Optional.of("the target " + rec.getTargetHost() + " reports no capacity");
        }
        double after = (t.getDemandKiB() + world.targetArrivedKiB() + rec.getDemandKiB()) / (double) t.getCapacityKiB();
        if (after > settings.maxTargetLoad()) {
            return Optional.of(String.format(Locale.ROOT, "the target %s would be at %.1f%% of its capacity with this VM "
                    + "(limit %.1f%%; now %.1f%%%s)", rec.getTargetHost(), after * 100, settings.maxTargetLoad() * 100,
                    t.getLoad() * 100, world.targetArrivedKiB() > 0 ? ", plus VMs moved there since" : ""));
        }
        return Optional.empty();
    }
}
