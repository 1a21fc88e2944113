package io.memdrs.collector.model;

import java.io.IOException;
import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parses a live libvirt domain XML once, for every reader of it ({@link BalloonXml}, nova's instance metadata).
 *
 * <p>The parser refuses DTDs and never resolves external entities: domain XML never needs either, so nothing
 * in it can make the collector read files or reach the network. It is namespace-aware, so that metadata elements
 * (which libvirt keeps in their own XML namespaces) are matched by namespace, not by whatever prefix they carry.
 */
public final class DomainXml {

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

    private DomainXml() {
    }

    /**
     * The {@code <domain>} element of a domain XML.
     *
     * @throws IllegalArgumentException when the XML is empty, malformed or not a domain
     */
    public static Element root(String domainXml) {
        if (domainXml == null || domainXml.isBlank()) {
            throw new IllegalArgumentException("domain XML is empty");
        }
        Element root = read(domainXml);
        if (!"domain".equals(root.getTagName())) {
            throw new IllegalArgumentException(
                    "not a libvirt domain XML: root element is <" + root.getTagName() + ">, expected <domain>");
        }
        return root;
    }

    /** The first child element of {@code parent} named {@code tagName} (no namespace), or null. */
    public static Element firstChild(Element parent, String tagName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getNamespaceURI() == null && tagName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    private static Element read(String xml) {
        try {
            DocumentBuilder builder = hardenedFactory().newDocumentBuilder();
            builder.setErrorHandler(RAISE);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity refused: " + systemId);
            });
            return builder.parse(new InputSource(new StringReader(xml))).getDocumentElement();
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
        factory.setNamespaceAware(true);
        return factory;
    }
}
