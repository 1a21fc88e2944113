package io.memdrs.collector.model;

import java.io.IOException;
import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads the balloon configuration out of a live libvirt domain XML:
 * {@code <domain><devices><memballoon model='virtio'><stats period='10'/></memballoon></devices></domain>}.
 *
 * <p>The parser refuses DTDs and never resolves external entities: domain XML never needs either, so nothing
 * in it can make the collector read files or reach the network.
 */
public final class BalloonXml {

    /** Turns every parser complaint into an exception instead of the JDK's default print to stderr. */
    private static final ErrorHandler RAISE = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXParseException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXParseException {
            throw e;
        }
    };

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
        if (domainXml == null || domainXml.isBlank()) {
            throw new IllegalArgumentException("domain XML is empty");
        }
        Element root = read(domainXml).getDocumentElement();
        if (!"domain".equals(root.getTagName())) {
            throw new IllegalArgumentException(
                    "not a libvirt domain XML: root element is <" + root.getTagName() + ">, expected <domain>");
        }
        Element devices = firstChild(root, "devices");
        Element balloon = devices == null ? null : firstChild(devices, "memballoon");
        if (balloon == null) {
            return BalloonConfig.ABSENT;
        }
        String model = balloon.getAttribute("model").strip();
        if (model.isEmpty()) {
            throw new IllegalArgumentException("<memballoon> has no model attribute");
        }
        Element stats = firstChild(balloon, "stats");
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

    private static Element firstChild(Element parent, String tagName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && tagName.equals(e.getTagName())) {
                return e;
            }
        }
        return null;
    }

    private static Document read(String xml) {
        try {
            DocumentBuilder builder = hardenedFactory().newDocumentBuilder();
            builder.setErrorHandler(RAISE);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity refused: " + systemId);
            });
            return builder.parse(new InputSource(new StringReader(xml)));
        } catch (SAXParseException e) {
            throw new IllegalArgumentException("malformed domain XML at line " + e.getLineNumber() + ", column "
                    + e.getColumnNumber() + ": " + e.getMessage(), e);
        } catch (SAXException e) {
            throw new IllegalArgumentException("malformed domain XML: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable domain XML: " + e.getMessage(), e);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser cannot be configured: " + e.getMessage(), e);
        }
    }

    private static DocumentBuilderFactory hardenedFactory() {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser cannot be hardened: " + e.getMessage(), e);
        }
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setNamespaceAware(false);
        return factory;
    }
}
