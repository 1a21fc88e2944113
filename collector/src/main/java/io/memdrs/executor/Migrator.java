package io.memdrs.executor;

/** What moves VMs: libvirt in production, the test driver's stand-in in the demo. */
public interface Migrator {
    /** Where the VM of {@code job} is now. Never throws: a host that cannot be asked is {@code UNREACHABLE}. */
    VmPlacement locate(String vmUuid, String sourceHost, String targetHost);

    /** Migrates; blocks until the VM runs on the target, the migration failed, or its deadline aborted it. */
    MigrationOutcome migrate(MigrationJob job);
}
