package io.memdrs.executor;

import io.memdrs.avro.HostLoad;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The latest host load the DRS published for each host, plus the demand of the moves this service has made to a
 * host since that load was computed: the DRS's next figure will hold them, this one does not yet.
 */
public final class HostLoadBoard {
    private final Map<String, HostLoad> latest = new HashMap<>();
    private final Map<String, Map<Long, Long>> arrivedSince = new HashMap<>();

    /** Keeps {@code load} if it is newer than the one held for its host. */
    public void offer(HostLoad load) {
        String key = key(load.getCluster(), load.getHost());
        HostLoad held = latest.get(key);
        if (held == null || load.getComputedAtMillis() >= held.getComputedAtMillis()) {
            latest.put(key, load);
            Map<Long, Long> arrivals = arrivedSince.get(key);
            if (arrivals != null) {
                arrivals.keySet().removeIf(at -> at <= load.getComputedAtMillis());
            }
        }
    }

    /** Records that a VM of {@code demandKiB} reached {@code host} at {@code atMillis}. */
    public void arrived(String cluster, String host, long demandKiB, long atMillis) {
        arrivedSince.computeIfAbsent(key(cluster, host), k -> new HashMap<>()).merge(atMillis, demandKiB, Long::sum);
    }

    public Optional<HostLoad> latest(String cluster, String host) {
        return Optional.ofNullable(latest.get(key(cluster, host)));
    }

    /** Demand of the VMs that arrived at the host after its latest load was computed, KiB. */
    public long arrivedSinceLatest(String cluster, String host) {
        Map<Long, Long> arrivals = arrivedSince.get(key(cluster, host));
        return arrivals == null ? 0 : arrivals.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String key(String cluster, String host) {
        return cluster + "/" + host;
    }
}
