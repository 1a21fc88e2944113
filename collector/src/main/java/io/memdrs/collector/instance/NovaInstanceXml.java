package io.memdrs.collector.instance;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads nova's instance metadata out of a parsed domain XML (namespace-aware, see
 * {@link io.memdrs.collector.model.DomainXml}):
 * <pre>{@code
 * <metadata>
 *   <nova:instance xmlns:nova="http://openstack.org/xmlns/libvirt/nova/1.1">
 *     <nova:name>web-1</nova:name>
 *     <nova:flavor name="m1.small">...</nova:flavor>
 *     <nova:owner>
 *       <nova:user uuid="...">alice</nova:user>
 *       <nova:project uuid="...">shop</nova:project>
 *     </nova:owner>
 *   </nova:instance>
 * </metadata>}</pre>
 * Any version of nova's namespace ({@code …/nova/1.0}, {@code 1.1}, later) is read. The metadata only names the VM,
 * so a piece that is missing or odd is left empty rather than failing the poll.
 */
public final class NovaInstanceXml {
    /** Every version of nova's libvirt metadata namespace starts so. */
    public static final String NAMESPACE_PREFIX = "http://openstack.org/xmlns/libvirt/nova/";

    private NovaInstanceXml() {
    }

    /** The nova instance metadata of the domain whose root element is {@code domain}; {@link NovaInstance#NONE}. */
    public static NovaInstance of(Element domain) {
        Element metadata = null;
        for (Node n = domain.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getNamespaceURI() == null && "metadata".equals(e.getLocalName())) {
                metadata = e;
                break;
            }
        }
        Element instance = metadata == null ? null : novaChild(metadata, "instance");
        if (instance == null) {
            return NovaInstance.NONE;
        }
        Element flavor = novaChild(instance, "flavor");
        Element owner = novaChild(instance, "owner");
        Element user = owner == null ? null : novaChild(owner, "user");
        Element project = owner == null ? null : novaChild(owner, "project");
        return new NovaInstance(text(novaChild(instance, "name")), attribute(flavor, "name"),
                attribute(project, "uuid"), text(project), attribute(user, "uuid"), text(user));
    }

    private static Element novaChild(Element parent, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName()) && e.getNamespaceURI() != null
                    && e.getNamespaceURI().startsWith(NAMESPACE_PREFIX)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element e) {
        return e == null ? "" : e.getTextContent();
    }

    private static String attribute(Element e, String name) {
        return e == null ? "" : e.getAttribute(name);
    }
}
