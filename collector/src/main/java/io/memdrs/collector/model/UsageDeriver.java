package io.memdrs.collector.model;

import static io.memdrs.collector.model.MemoryStatTag.AVAILABLE;
import static io.memdrs.collector.model.MemoryStatTag.RSS;
import static io.memdrs.collector.model.MemoryStatTag.UNUSED;
import static io.memdrs.collector.model.MemoryStatTag.USABLE;

import io.memdrs.avro.DomainState;
import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.UsageSource;
import java.util.Optional;

/**
 * Derives the memory a VM uses, best source first: USABLE (available - usable), UNUSED (available - unused),
 * HOST_RSS, ALLOCATED (current memory).
 *
 * <p>Guest-reported values count only when the health is OK or PARTIAL: frozen, stale or inconsistent guest
 * values must not drive decisions, so the host's view stands in. Unknown is never 0: the only 0 is a shut-off
 * domain, which has no QEMU process and so holds no memory on the host.
 */
final class UsageDeriver {

    private UsageDeriver() {
    }

    static Usage derive(DomainSnapshot domain, StatsHealth health) {
        if (health == StatsHealth.OK || health == StatsHealth.PARTIAL) {
            Optional<Usage> guest = fromGuest(domain.stats());
            if (guest.isPresent()) {
                return guest.get();
            }
        }
        return fromHost(domain);
    }

    private static Optional<Usage> fromGuest(RawMemoryStats stats) {
        if (stats.has(AVAILABLE) && stats.has(USABLE)) {
            return Optional.of(new Usage(stats.orNull(AVAILABLE) - stats.orNull(USABLE), UsageSource.USABLE));
        }
        if (stats.has(AVAILABLE) && stats.has(UNUSED)) {
            return Optional.of(new Usage(stats.orNull(AVAILABLE) - stats.orNull(UNUSED), UsageSource.UNUSED));
        }
        return Optional.empty();
    }

    private static Usage fromHost(DomainSnapshot domain) {
        Long rss = domain.stats().orNull(RSS);
        if (rss != null && rss > 0) {
            return new Usage(rss, UsageSource.HOST_RSS);
        }
        if (domain.state() == DomainState.SHUTOFF) {
            return new Usage(0, UsageSource.ALLOCATED);
        }
        long allocated = domain.currentMemoryKiB() > 0 ? domain.currentMemoryKiB() : domain.maxMemoryKiB();
        return new Usage(allocated, UsageSource.ALLOCATED);
    }
}
