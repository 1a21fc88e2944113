package io.memdrs.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks the dashboard port: the one asked for if it is free on loopback, else any free one. */
final class Ports {
    private Ports() {}

    static int availableOr(int wanted) throws IOException {
        if (wanted == 0) {
            return 0;
        }
        try (ServerSocket socket = new ServerSocket(wanted, 1, InetAddress.getLoopbackAddress())) {
            return wanted;
        } catch (IOException busy) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }
    }
}
