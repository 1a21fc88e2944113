package io.memdrs.collector.model;

import org.w3c.dom.Element;

/**
 * Reads the balloon configuration out of a live libvirt domain XML:
 * {@code <domain><devices><memballoon model='virtio'><stats period='10'/></memballoon></devices></domain>}.
 */
public final class BalloonXml {

    private BalloonXml() {
    }

    /**
     * Parses the {@code <memballoon>} of a domain XML.
     *
     * @param domainXml the XML of {@code virDomainGetXMLDesc} (live, not inactive, so a period set at run time shows)
     * @return {@link BalloonConfig#ABSENT} when there is no {@code <memballoon>}; period 0 when it has no
     *         {@code <stats period='N'/>}
     * @throws IllegalArgumentException when the XML is malformed, is not a domain, or the balloon is not readable
     */
    public static BalloonConfig parse(String domainXml) {
        return of(DomainXml.root(domainXml));
    }

    /** The balloon configuration of a parsed domain XML ({@link DomainXml#root}). */
    public static BalloonConfig of(Element root) {
        Element devices = DomainXml.firstChild(root, "devices");
        Element balloon = devices == null ? null : DomainXml.firstChild(devices, "memballoon");
        if (balloon == null) {
            return BalloonConfig.ABSENT;
        }
        String model = balloon.getAttribute("model").strip();
        if (model.isEmpty()) {
            throw new IllegalArgumentException("<memballoon> has no model attribute");
        }
        Element stats = DomainXml.firstChild(balloon, "stats");
        int period = stats == null ? 0 : period(stats.getAttribute("period"));
        return new BalloonConfig(model, period);
    }

    private static int period(String attribute) {
        String text = attribute.strip();
        if (text.isEmpty()) {
            return 0;
        }
        int period;
        try {
            period = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("<memballoon><stats period='" + text + "'/> is not an integer", e);
        }
        if (period < 0) {
            throw new IllegalArgumentException("<memballoon><stats period='" + text + "'/> is negative");
        }
        return period;
    }
}
