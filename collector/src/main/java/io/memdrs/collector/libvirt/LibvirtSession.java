package io.memdrs.collector.libvirt;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One libvirt connection and the one thread that may use it (libvirt-java does no locking). Every call runs on that
 * thread with a deadline; a call that overruns it marks the session broken, so the owner opens a new one rather
 * than queueing behind a hung libvirtd.
 */
public final class LibvirtSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LibvirtSession.class);

    /** A piece of work against the connection. */
    @FunctionalInterface
    public interface Call<T> {
        T apply(Connect connect) throws LibvirtException;
    }

    private final String uri;
    private final boolean readOnly;
    private final Duration callTimeout;
    private final ExecutorService thread;
    private final Connect connect;
    private final String driverType;
    private volatile boolean broken;
    /** A call overran its deadline: the session's thread may be stuck in libvirt and takes no more work. */
    private volatile boolean hung;

    private LibvirtSession(String uri, boolean readOnly, Duration callTimeout) throws LibvirtUnavailableException {
        this.uri = uri;
        this.readOnly = readOnly;
        this.callTimeout = callTimeout;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "libvirt " + uri);
            t.setDaemon(true);
            return t;
        });
        LibvirtEventLoop.ensureRunning();
        try {
            this.connect = submit("open", () -> new Connect(uri, readOnly));
            this.driverType = submit("getType", connect::getType);
            submit("setKeepAlive", () -> keepAlive(connect));
        } catch (LibvirtUnavailableException e) {
            thread.shutdownNow();
            Optional<String> hint = ConnectionHints.forOpenFailure(e.getMessage());
            throw hint.isEmpty() ? e : new LibvirtUnavailableException(e.getMessage() + "; hint: " + hint.get(),
                    e.getCause());
        }
    }

    /** Opens {@code uri} ({@code readOnly} unless remediation needs to write) with a deadline per call. */
    public static LibvirtSession open(String uri, boolean readOnly, Duration callTimeout) throws LibvirtUnavailableException {
        return new LibvirtSession(uri, readOnly, callTimeout);
    }

    public String uri() {
        return uri;
    }

    public boolean readOnly() {
        return readOnly;
    }

    /** libvirt's driver name: "QEMU", "TEST", ... */
    public String driverType() {
        return driverType;
    }

    /**
     * Whether the guests' {@code last_update} comes from a real guest clock. The test driver reports a constant, so
     * freshness cannot be judged there.
     */
    public boolean guestClockTrusted() {
        return !"TEST".equalsIgnoreCase(driverType);
    }

    public boolean isBroken() {
        return broken;
    }

    /** Runs {@code call} on the session's thread, waiting at most the call timeout. */
    public <T> T call(String what, Call<T> call) throws LibvirtUnavailableException {
        if (broken) {
            throw new LibvirtUnavailableException(what + " on " + uri + ": connection is broken", null);
        }
        try {
            return submit(what, () -> call.apply(connect));
        } catch (LibvirtUnavailableException e) {
            org.libvirt.Error error = e.getCause() instanceof LibvirtException lv ? lv.getError()
                    : e.getCause() instanceof NativeCallException nc ? nc.error() : null;
            boolean libvirtError = e.getCause() instanceof LibvirtException || e.getCause() instanceof NativeCallException;
            if (!libvirtError || !isAlive()) {
                broken = true;
            } else if (error != null && error.getCode() == org.libvirt.Error.ErrorNumber.VIR_ERR_SYSTEM_ERROR) {
                broken = true;
            }
            throw e;
        }
    }

    private boolean isAlive() {
        try {
            return submit("isAlive", connect::isAlive);
        } catch (LibvirtUnavailableException e) {
            return false;
        }
    }

    private <T> T submit(String what, Call0<T> work) throws LibvirtUnavailableException {
        Future<T> future = thread.submit(work::call);
        try {
            return future.get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            broken = true;
            hung = true;
            throw new LibvirtUnavailableException(what + " on " + uri + " did not return within " + callTimeout, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new LibvirtUnavailableException(what + " on " + uri + " failed: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LibvirtUnavailableException(what + " on " + uri + " interrupted", e);
        }
    }

    @FunctionalInterface
    private interface Call0<T> {
        T call() throws Exception;
    }

    private static boolean keepAlive(Connect connect) {
        try {
            return connect.setKeepAlive(5, 3);
        } catch (LibvirtException e) {
            return false; // local drivers (test, embedded) have no keepalive: nothing to detect there
        }
    }

    /**
     * Closes the connection (also a broken one: that frees its socket and its keepalive timer), unless a call hung,
     * when the session's thread is abandoned instead of queueing the close behind it.
     */
    @Override
    public void close() {
        if (!hung) {
            try {
                submit("close", connect::close);
            } catch (LibvirtUnavailableException e) {
                log.debug("closing {}: {}", uri, e.getMessage());
            }
        }
        thread.shutdownNow();
    }
}
