package io.memdrs.collector.cli;

import picocli.CommandLine;

/** Prints the collector's version. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {io.memdrs.version.MemdrsVersion.line("collector")};
    }
}
