package io.memdrs.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class JobSchedulerTest {
    private record Move(int order, String source, String target) {}

    @Test
    void shouldRunMovesOnDisjointHostsSideBySideAndSharedOnesInOrder() {
        JobScheduler<String> s = new JobScheduler<>(1);
        s.queue("a", "h1", "h2");
        s.queue("b", "h3", "h4");
        s.queue("c", "h2", "h5");
        s.queue("d", "h5", "h6");
        assertEquals(List.of("a", "b"), s.startable(), "c shares h2 with a; d waits behind c, which holds h5");
        s.finished("a");
        assertEquals(List.of("c"), s.startable());
        s.finished("c");
        assertEquals(List.of("d"), s.startable());
        s.finished("b");
        s.finished("d");
        assertTrue(s.idle());
    }

    /**
     * On random clusters and limits: no host ever takes part in more than the limit at once, moves sharing a host
     * start in queue order, and every move starts exactly once.
     */
    @RepeatedTest(50)
    void shouldNeverExceedThePerHostLimitNorReorderMovesThatShareAHost() {
        Random random = new Random();
        int hosts = 2 + random.nextInt(10);
        int limit = 1 + random.nextInt(3);
        JobScheduler<Move> s = new JobScheduler<>(limit);
        List<Move> queued = new ArrayList<>();
        for (int i = 0; i < 1 + random.nextInt(40); i++) {
            int from = random.nextInt(hosts);
            int to = (from + 1 + random.nextInt(hosts - 1)) % hosts;
            Move m = new Move(i, "h" + from, "h" + to);
            queued.add(m);
            s.queue(m, m.source(), m.target());
        }
        List<Move> running = new ArrayList<>();
        List<Move> started = new ArrayList<>();
        Map<String, Integer> lastStarted = new HashMap<>();
        while (!s.idle()) {
            for (Move m : s.startable()) {
                for (String h : List.of(m.source(), m.target())) {
                    assertTrue(lastStarted.getOrDefault(h, -1) < m.order(), "order kept on " + h + " for " + m);
                    lastStarted.put(h, m.order());
                }
                running.add(m);
                started.add(m);
            }
            Map<String, Integer> busy = new HashMap<>();
            running.forEach(m -> {
                busy.merge(m.source(), 1, Integer::sum);
                busy.merge(m.target(), 1, Integer::sum);
            });
            busy.forEach((h, n) -> assertTrue(n <= limit, h + " in " + n + " moves, limit " + limit));
            assertTrue(!running.isEmpty(), "progress: something runs while moves are queued");
            Move done = running.remove(random.nextInt(running.size()));
            s.finished(done);
        }
        assertEquals(queued.size(), started.size());
        assertEquals(new java.util.HashSet<>(queued), new java.util.HashSet<>(started));
    }
}
