package io.memdrs.schemas;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 instantiates only trusted classes while decoding. This adds exactly the generated classes that memdrs
 * serdes read (every record and enum named in their schemas) to the process-wide trust list, keeping whatever was
 * trusted before (the system properties included).
 */
final class TrustedClasses {
    private static final Set<String> trusted = new HashSet<>();

    private TrustedClasses() {}

    /** Trusts the current memdrs contracts. */
    static void install() {
        SchemaCatalog.CURRENT.forEach(TrustedClasses::trust);
    }

    /** Trusts every named type of {@code schema}; a no-op for types already trusted. */
    static synchronized void trust(Schema schema) {
        Set<String> names = new TreeSet<>();
        collectNamedTypes(schema, names);
        names.removeAll(trusted);
        if (names.isEmpty()) {
            return;
        }
        ClassSecurityValidator.Builder ours = ClassSecurityValidator.builder();
        names.forEach(ours::add);
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), ours.build()));
        trusted.addAll(names);
    }

    static void collectNamedTypes(Schema schema, Set<String> names) {
        switch (schema.getType()) {
            case RECORD -> {
                if (names.add(schema.getFullName())) {
                    schema.getFields().forEach(field -> collectNamedTypes(field.schema(), names));
                }
            }
            case ENUM, FIXED -> names.add(schema.getFullName());
            case UNION -> schema.getTypes().forEach(member -> collectNamedTypes(member, names));
            case ARRAY -> collectNamedTypes(schema.getElementType(), names);
            case MAP -> collectNamedTypes(schema.getValueType(), names);
            default -> { }
        }
    }
}
