package io.memdrs.executor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which migrations may start: at most {@code maxPerHost} at once involve any one host (as source or
 * target), and migrations that share a host start in the order they were queued (a round's moves are meant to run
 * in sequence: an earlier one may make the room a later one needs). Moves on disjoint hosts run side by side.
 *
 * @param <J> the job
 */
public final class JobScheduler<J> {
    private record Hosts(String source, String target) {}

    private final int maxPerHost;
    private final LinkedHashMap<J, Hosts> queued = new LinkedHashMap<>();
    private final Map<J, Hosts> running = new HashMap<>();
    private final Map<String, Integer> busy = new HashMap<>();

    public JobScheduler(int maxPerHost) {
        if (maxPerHost < 1) {
            throw new IllegalArgumentException("maxPerHost must be at least 1: " + maxPerHost);
        }
        this.maxPerHost = maxPerHost;
    }

    public void queue(J job, String source, String target) {
        queued.put(job, new Hosts(source, target));
    }

    /** The queued jobs that may start now, in queue order; they count as running until {@link #finished}. */
    public List<J> startable() {
        List<J> start = new ArrayList<>();
        Set<String> heldBack = new HashSet<>();
        for (Iterator<Map.Entry<J, Hosts>> it = queued.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<J, Hosts> e = it.next();
            Hosts h = e.getValue();
            boolean free = !heldBack.contains(h.source()) && !heldBack.contains(h.target())
                    && load(h.source()) < maxPerHost && load(h.target()) < maxPerHost;
            if (free) {
                it.remove();
                running.put(e.getKey(), h);
                busy.merge(h.source(), 1, Integer::sum);
                busy.merge(h.target(), 1, Integer::sum);
                start.add(e.getKey());
            } else {
                heldBack.add(h.source());
                heldBack.add(h.target());
            }
        }
        return start;
    }

    public void finished(J job) {
        Hosts h = running.remove(job);
        if (h == null) {
            throw new IllegalStateException("not running: " + job);
        }
        busy.merge(h.source(), -1, Integer::sum);
        busy.merge(h.target(), -1, Integer::sum);
    }

    /** Nothing queued and nothing running. */
    public boolean idle() {
        return queued.isEmpty() && running.isEmpty();
    }

    private int load(String host) {
        return busy.getOrDefault(host, 0);
    }
}
