package io.memdrs.engine;

/**
 * One (VM, target) pair as scored by the balance search.
 *
 * @param vm VM index
 * @param target host index
 * @param goodness reduction of hosts × σ²
 * @param benefit what the move achieves toward the round's goal (see {@link BalancePlanner})
 * @param score benefit per GiB copied
 * @param rejection why it is not allowed, or null
 */
record Candidate(int vm, int target, double goodness, double benefit, double score, Rejection rejection) {

    /** Negative when {@code a} is the better candidate: higher score, ties (relative 1e-9) by VM name, UUID, target. */
    static int byScore(Candidate a, Candidate b, Placement p) {
        return compare(a.score, b.score, a, b, p);
    }

    /** Negative when {@code a} has the higher benefit; ties as {@link #byScore}. */
    static int byBenefit(Candidate a, Candidate b, Placement p) {
        return compare(a.benefit, b.benefit, a, b, p);
    }

    private static int compare(double x, double y, Candidate a, Candidate b, Placement p) {
        double tolerance = 1e-9 * Math.max(Math.abs(x), Math.abs(y));
        if (x > y + tolerance) {
            return -1;
        }
        if (y > x + tolerance) {
            return 1;
        }
        int c = p.vm(a.vm).name().compareTo(p.vm(b.vm).name());
        if (c == 0) {
            c = p.vm(a.vm).uuid().compareTo(p.vm(b.vm).uuid());
        }
        if (c == 0) {
            c = p.host(a.target).name().compareTo(p.host(b.target).name());
        }
        return c;
    }
}
