package io.memdrs.collector.cli;

import io.memdrs.collector.CollectorVersion;
import picocli.CommandLine;

/** Prints the collector's version. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"memdrs collector " + CollectorVersion.get()};
    }
}
