package io.memdrs.collector.cli;

/** What the collector's exit codes mean. */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;
    static final int UNUSABLE_STATS = 3;

    private ExitCodes() {}
}
