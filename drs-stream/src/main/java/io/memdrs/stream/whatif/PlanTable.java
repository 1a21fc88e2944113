package io.memdrs.stream.whatif;

import io.memdrs.engine.HostLoadLine;
import io.memdrs.engine.HostState;
import io.memdrs.engine.Plan;
import io.memdrs.engine.Recommendation;
import io.memdrs.engine.Wave;
import io.memdrs.engine.RejectedAlternative;
import java.util.Locale;

/** A plan for a human: header, host loads before and after, the moves with their explanations, notes. */
public final class PlanTable {

    private PlanTable() {
    }

    /** The plan as text, ending with a newline. */
    public static String render(Plan plan, long round) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "cluster %s: %d hosts, %d VMs, policy %s (level %d, target imbalance %s)%n",
                plan.cluster(), plan.hostCount(), plan.vmCount(), plan.policyVersion(), plan.migrationThreshold(),
                sigma(plan.targetImbalance())));
        b.append(String.format(Locale.ROOT, "%s: %s%n", plan.outcome(), plan.summary()));
        b.append(String.format(Locale.ROOT, "now (wave 1): imbalance %s → %s, %d moves, %s to copy%n",
                sigma(plan.imbalanceBefore()), sigma(plan.imbalanceAfter()), plan.recommendations().size(),
                gib(plan.bytesToCopyKiB())));
        b.append(String.format(Locale.ROOT, "whole plan: %d %s, imbalance %s → %s, %d moves, %s to copy%n%n",
                plan.waves().size(), plan.waves().size() == 1 ? "wave" : "waves", sigma(plan.imbalanceBefore()),
                sigma(plan.planImbalanceAfter()), plan.planMoves(), gib(plan.planBytesToCopyKiB())));
        b.append(String.format(Locale.ROOT, "%-16s %-12s %11s %8s %8s %4s%n", "HOST", "STATE", "CAPACITY", "BEFORE",
                "AFTER", "VMS"));
        for (HostLoadLine h : plan.hosts()) {
            String state = h.state() == HostState.UNKNOWN ? "unknown" : h.maintenance() ? "maintenance" : "active";
            b.append(String.format(Locale.ROOT, "%-16s %-12s %11s %8s %8s %4d%n", h.host(), state,
                    gib(h.capacityKiB()), pct(h.loadBefore()), pct(h.loadAfter()), h.vmCount()));
        }
        for (Wave w : plan.waves()) {
            b.append(String.format(Locale.ROOT, "%nwave %d%s: %d moves, %s to copy, imbalance after %s%n", w.wave(),
                    w.wave() == 1 ? " (the round emits it now)" : "", w.recommendations().size(),
                    gib(w.bytesToCopyKiB()), sigma(w.imbalanceAfter())));
            b.append(String.format(Locale.ROOT, "%-3s %-20s %-16s %-16s %3s %-22s %9s %9s %-15s %-15s %s%n",
                    "#", "VM", "FROM", "TO", "PRI", "REASON", "DEMAND", "SIZE", "SOURCE", "TARGET", "IMBALANCE"));
            for (Recommendation r : w.recommendations()) {
                b.append(String.format(Locale.ROOT, "%-3d %-20s %-16s %-16s %3d %-22s %9s %9s %-15s %-15s %s → %s%n",
                        r.sequence(), r.vmName(), r.source(), r.target(), r.priority(), r.reason(),
                        gib(r.demandKiB()), gib(r.sizeKiB()), pct(r.sourceLoadBefore()) + "→" + pct(r.sourceLoadAfter()),
                        pct(r.targetLoadBefore()) + "→" + pct(r.targetLoadAfter()), sigma(r.imbalanceBefore()),
                        sigma(r.imbalanceAfter())));
                b.append("    id ").append(Recommendation.id(plan.cluster(), round, r.sequence()))
                        .append(", expires ").append(r.expiresAt()).append('\n');
                b.append("    ").append(r.explanation()).append('\n');
                for (RejectedAlternative a : r.rejectedAlternatives()) {
                    b.append("    not ").append(alternative(a)).append('\n');
                }
            }
        }
        if (!plan.rejected().isEmpty()) {
            b.append("\nnot done:\n");
            for (RejectedAlternative a : plan.rejected()) {
                b.append("  ").append(alternative(a)).append('\n');
            }
        }
        if (!plan.notes().isEmpty()) {
            b.append("\nnotes:\n");
            for (String n : plan.notes()) {
                b.append("  - ").append(n).append('\n');
            }
        }
        return b.toString();
    }

    private static String alternative(RejectedAlternative a) {
        return a.vmName() + (a.targetHost() == null ? "" : " → " + a.targetHost()) + ": " + a.reason();
    }

    private static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", fraction * 100);
    }

    private static String sigma(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : "none (mandatory moves only)";
    }

    private static String gib(long kib) {
        return String.format(Locale.ROOT, "%.1f GiB", kib / 1048576.0);
    }
}
