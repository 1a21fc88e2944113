package io.memdrs.e2e.reliability;

import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An embedded broker that lets in only SASL/SCRAM-SHA-512 clients and authorizes every request with the KRaft
 * {@code StandardAuthorizer} against ACLs (no ACL, no access). Three users are created when the storage is formatted,
 * each with a fresh random password: {@code admin} (super user: creates topics and ACLs), {@code collector} and
 * {@code drs}. The client listener (named PLAINTEXT by the embedded broker) speaks SASL_PLAINTEXT; the controller
 * listener stays plaintext on loopback, and its anonymous principal (the broker's own controller channel) is a
 * super user, as in any single-node KRaft set-up with a plaintext controller listener.
 */
final class ScramKafka {
    static final String MECHANISM = "SCRAM-SHA-512";
    static final String ADMIN = "admin";
    static final String COLLECTOR = "collector";
    static final String STREAM = "drs";

    final EmbeddedKafkaBroker broker;
    final Map<String, String> passwords;

    private ScramKafka(EmbeddedKafkaBroker broker, Map<String, String> passwords) {
        this.broker = broker;
        this.passwords = passwords;
    }

    static ScramKafka start(Path dataDir) {
        Map<String, String> passwords = Map.of(ADMIN, secret(), COLLECTOR, secret(), STREAM, secret());
        List<String> format = new ArrayList<>();
        passwords.forEach((user, password) -> {
            format.add("--add-scram");
            format.add(MECHANISM + "=[name=" + user + ",password=" + password + "]");
        });
        Map<String, String> broker = Map.of(
                "listener.security.protocol.map", "PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
                "sasl.enabled.mechanisms", MECHANISM,
                "sasl.mechanism.inter.broker.protocol", MECHANISM,
                "listener.name.plaintext.scram-sha-512.sasl.jaas.config", jaas(ADMIN, passwords.get(ADMIN)),
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users", "User:" + ADMIN + ";User:ANONYMOUS",
                "allow.everyone.if.no.acl.found", "false");
        return new ScramKafka(EmbeddedKafkaBroker.start(dataDir, broker, format,
                client(ADMIN, passwords.get(ADMIN))), passwords);
    }

    String bootstrap() {
        return broker.bootstrapServers();
    }

    /** The client properties of {@code user} with its own password. */
    Map<String, String> clientOf(String user) {
        return client(user, passwords.get(user));
    }

    /** The client properties for {@code user} with {@code password}: what {@code kafka.} keys pass through. */
    static Map<String, String> client(String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", MECHANISM,
                "sasl.jaas.config", jaas(user, password));
    }

    static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    private static String secret() {
        return "pw-" + UUID.randomUUID();
    }
}
