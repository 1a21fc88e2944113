package io.memdrs.stream.cli;

import io.memdrs.version.MemdrsVersion;
import picocli.CommandLine;

/** Prints the stream app's version and source revision. */
public final class StreamVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {MemdrsVersion.line("stream")};
    }
}
