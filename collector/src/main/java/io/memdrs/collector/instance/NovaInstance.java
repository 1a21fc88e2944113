package io.memdrs.collector.instance;

/**
 * What OpenStack nova wrote about a VM into its domain XML ({@code <metadata><nova:instance>}): the names an
 * operator knows it by. Every field is "" when nova did not write it; {@link #NONE} for a VM nova does not manage.
 *
 * @param displayName {@code <nova:name>}: the instance's display name (the domain is named instance-0000abcd)
 * @param flavor {@code <nova:flavor name='…'>}
 * @param projectId {@code <nova:owner><nova:project uuid='…'>}
 * @param projectName the text of that element
 * @param userId {@code <nova:owner><nova:user uuid='…'>}
 * @param userName the text of that element
 */
public record NovaInstance(String displayName, String flavor, String projectId, String projectName, String userId,
                           String userName) {
    public static final NovaInstance NONE = new NovaInstance("", "", "", "", "", "");

    public NovaInstance {
        displayName = orEmpty(displayName);
        flavor = orEmpty(flavor);
        projectId = orEmpty(projectId);
        projectName = orEmpty(projectName);
        userId = orEmpty(userId);
        userName = orEmpty(userName);
    }

    /** Whether nova wrote anything: a VM of an OpenStack cloud. */
    public boolean present() {
        return !equals(NONE);
    }

    /** The name to show: nova's display name, else the libvirt domain name. */
    public String nameOr(String domainName) {
        return displayName.isEmpty() ? domainName : displayName;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s.strip();
    }
}
