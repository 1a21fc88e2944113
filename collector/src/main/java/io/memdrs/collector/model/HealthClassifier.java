package io.memdrs.collector.model;

import static io.memdrs.collector.model.MemoryStatTag.AVAILABLE;
import static io.memdrs.collector.model.MemoryStatTag.LAST_UPDATE;
import static io.memdrs.collector.model.MemoryStatTag.UNUSED;
import static io.memdrs.collector.model.MemoryStatTag.USABLE;

import io.memdrs.avro.DomainState;
import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.VmMemorySample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether one poll's balloon statistics can be trusted, first match wins:
 * NOT_RUNNING, NO_BALLOON, INVALID, NEVER_REPORTED, STATS_PERIOD_DISABLED, STALE, PARTIAL, OK.
 *
 * <p>Checks that compare {@code last_update} with time (a future {@code last_update}, STALE) run only when the
 * guest clock is trusted; the libvirt test driver, for one, reports a constant {@code last_update}.
 */
final class HealthClassifier {

    /** Statistics older than this many stats periods are stale. */
    static final int STALE_PERIODS = 3;

    /** How far {@code last_update} may run ahead of the host clock before it counts as inconsistent. */
    static final Duration FUTURE_TOLERANCE = Duration.ofSeconds(60);

    private final boolean guestClockTrusted;

    HealthClassifier(boolean guestClockTrusted) {
        this.guestClockTrusted = guestClockTrusted;
    }

    /**
     * @param previous the same VM's previous sample from this collector, or null; ignored when its UUID differs
     */
    Diagnosis classify(DomainSnapshot domain, Instant now, VmMemorySample previous) {
        RawMemoryStats stats = domain.stats();
        return notRunning(domain.state())
                .or(() -> noBalloon(domain.balloon()))
                .or(() -> invalid(stats, now))
                .or(() -> neverReported(stats))
                .or(() -> periodDisabled(domain.balloon()))
                .or(() -> stale(domain, now, sameVm(domain, previous)))
                .orElseGet(() -> reporting(stats, domain.balloon(), now));
    }

    private static Optional<Diagnosis> notRunning(DomainState state) {
        if (state == DomainState.RUNNING || state == DomainState.BLOCKED) {
            return Optional.empty();
        }
        return Optional.of(Diagnosis.of(StatsHealth.NOT_RUNNING, "domain is " + state));
    }

    private static Optional<Diagnosis> noBalloon(BalloonConfig balloon) {
        if (balloon.present()) {
            return Optional.empty();
        }
        String evidence = balloon.model() == null
                ? "no <memballoon> device"
                : "<memballoon model='" + balloon.model() + "'>";
        return Optional.of(Diagnosis.of(StatsHealth.NO_BALLOON, evidence));
    }

    private Optional<Diagnosis> invalid(RawMemoryStats stats, Instant now) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<MemoryStatTag, Long> e : stats.asMap().entrySet()) {
            if (e.getValue() < 0) {
                problems.add(statName(e.getKey()) + " is negative (" + e.getValue() + ")");
            }
        }
        Long available = stats.orNull(AVAILABLE);
        if (available != null && available == 0) {
            problems.add("available is 0 KiB");
        }
        exceeds(stats, UNUSED, available).ifPresent(problems::add);
        exceeds(stats, USABLE, available).ifPresent(problems::add);
        boolean driverSuspect = !problems.isEmpty();
        boolean clockSuspect = false;
        Long lastUpdate = stats.orNull(LAST_UPDATE);
        if (guestClockTrusted && lastUpdate != null && lastUpdate > 0) {
            long ahead = lastUpdate - now.getEpochSecond();
            if (ahead > FUTURE_TOLERANCE.toSeconds()) {
                problems.add("last_update is " + ahead + " s in the future");
                clockSuspect = true;
            }
        }
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new Diagnosis(StatsHealth.INVALID, String.join(", ", problems), clockSuspect, driverSuspect));
    }

    private static Optional<String> exceeds(RawMemoryStats stats, MemoryStatTag tag, Long available) {
        Long value = stats.orNull(tag);
        if (value == null || available == null || available <= 0 || value <= available) {
            return Optional.empty();
        }
        return Optional.of(statName(tag) + " " + value + " KiB > available " + available + " KiB");
    }

    private static Optional<Diagnosis> neverReported(RawMemoryStats stats) {
        Long lastUpdate = stats.orNull(LAST_UPDATE);
        if (lastUpdate == null) {
            return Optional.of(Diagnosis.of(StatsHealth.NEVER_REPORTED, "no last_update"));
        }
        if (lastUpdate == 0) {
            return Optional.of(Diagnosis.of(StatsHealth.NEVER_REPORTED, "last_update is 0"));
        }
        return Optional.empty();
    }

    private static Optional<Diagnosis> periodDisabled(BalloonConfig balloon) {
        if (balloon.statsPeriodSeconds() > 0) {
            return Optional.empty();
        }
        return Optional.of(Diagnosis.of(StatsHealth.STATS_PERIOD_DISABLED, "balloon has no stats period"));
    }

    private Optional<Diagnosis> stale(DomainSnapshot domain, Instant now, VmMemorySample previous) {
        if (!guestClockTrusted) {
            return Optional.empty();
        }
        int period = domain.balloon().statsPeriodSeconds();
        long limit = (long) STALE_PERIODS * period;
        long lastUpdate = domain.stats().orNull(LAST_UPDATE); // present and non-zero: NEVER_REPORTED ran first
        long age = now.getEpochSecond() - lastUpdate;
        String bound = "more than " + STALE_PERIODS + " x period " + period + " s = " + limit + " s";
        if (age > limit) {
            return Optional.of(Diagnosis.of(StatsHealth.STALE, "last_update is " + age + " s old, " + bound));
        }
        if (previous == null || !Objects.equals(previous.getLastUpdateEpochSeconds(), lastUpdate)) {
            return Optional.empty();
        }
        long sincePrevious = Duration.ofMillis(now.toEpochMilli() - previous.getSampleTimeMillis()).toSeconds();
        if (sincePrevious > limit) {
            return Optional.of(Diagnosis.of(StatsHealth.STALE, "last_update " + lastUpdate
                    + " has not advanced in the " + sincePrevious + " s since the previous sample, " + bound));
        }
        if (previous.getHealth() == StatsHealth.STALE) {
            return Optional.of(Diagnosis.of(StatsHealth.STALE, "last_update " + lastUpdate
                    + " has not advanced since the previous sample, which was already stale"));
        }
        return Optional.empty();
    }

    private Diagnosis reporting(RawMemoryStats stats, BalloonConfig balloon, Instant now) {
        List<String> missing = new ArrayList<>();
        for (MemoryStatTag tag : List.of(AVAILABLE, USABLE)) {
            if (!stats.has(tag)) {
                missing.add(statName(tag));
            }
        }
        if (!missing.isEmpty()) {
            String evidence = "guest reports no " + String.join(" and no ", missing);
            return Diagnosis.of(StatsHealth.PARTIAL, evidence);
        }
        return Diagnosis.of(StatsHealth.OK, freshness(stats.orNull(LAST_UPDATE), balloon, now));
    }

    private String freshness(long lastUpdate, BalloonConfig balloon, Instant now) {
        if (!guestClockTrusted) {
            return "freshness not checked: the driver has no guest clock (last_update " + lastUpdate + ")";
        }
        long age = now.getEpochSecond() - lastUpdate;
        String when = age >= 0 ? age + " s ago" : -age + " s ahead of the host clock";
        return "last_update " + when + " (period " + balloon.statsPeriodSeconds() + " s)";
    }

    private static VmMemorySample sameVm(DomainSnapshot domain, VmMemorySample previous) {
        return previous != null && domain.uuid().equals(previous.getVmUuid()) ? previous : null;
    }

    /** The name virsh dommemstat prints for a tag. */
    static String statName(MemoryStatTag tag) {
        return tag == MemoryStatTag.ACTUAL_BALLOON ? "actual" : tag.name().toLowerCase(Locale.ROOT);
    }
}
