package io.memdrs.e2e.reliability;

import io.memdrs.topics.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Least privilege for memdrs, as an operator would grant it. The collector may only write (and describe) the two
 * sample topics. The stream app reads the samples and the control topic, writes its four output topics, and owns
 * everything named after its application id: its consumer group, its transactional ids (exactly-once) and its
 * internal changelog topics.
 */
final class MemdrsAcls {
    private MemdrsAcls() {}

    static List<AclBinding> collector(String user) {
        List<AclBinding> acls = new ArrayList<>();
        for (String topic : List.of(Topics.VM_SAMPLES, Topics.HOST_SAMPLES)) {
            acls.add(allow(user, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
            acls.add(allow(user, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE));
        }
        return acls;
    }

    static List<AclBinding> streamApp(String user, String applicationId) {
        List<AclBinding> acls = new ArrayList<>();
        for (String topic : List.of(Topics.VM_SAMPLES, Topics.HOST_SAMPLES, Topics.CONTROL, Topics.MIGRATION_EVENTS)) {
            acls.add(allow(user, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
        }
        for (String topic : List.of(Topics.HOST_LOAD, Topics.RECOMMENDATIONS, Topics.BALANCE_REPORTS, Topics.DEAD_LETTERS)) {
            acls.add(allow(user, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
        }
        acls.add(allow(user, ResourceType.TOPIC, applicationId, PatternType.PREFIXED, AclOperation.ALL));
        acls.add(allow(user, ResourceType.GROUP, applicationId, PatternType.LITERAL, AclOperation.READ));
        acls.add(allow(user, ResourceType.TRANSACTIONAL_ID, applicationId, PatternType.PREFIXED, AclOperation.WRITE));
        acls.add(allow(user, ResourceType.TRANSACTIONAL_ID, applicationId, PatternType.PREFIXED, AclOperation.DESCRIBE));
        return acls;
    }

    private static AclBinding allow(String user, ResourceType type, String name, PatternType pattern, AclOperation op) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW));
    }
}
