package io.memdrs.schemas;

import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 instantiates only trusted classes while decoding. This adds exactly the generated memdrs classes (every
 * record and enum named in the current schemas) to the process-wide trust list, once, keeping whatever was trusted
 * before (the system properties included).
 */
final class TrustedClasses {
    private static boolean installed;

    private TrustedClasses() {}

    static synchronized void install() {
        if (installed) {
            return;
        }
        Set<String> names = new TreeSet<>();
        SchemaCatalog.CURRENT.forEach(schema -> collectNamedTypes(schema, names));
        ClassSecurityValidator.Builder ours = ClassSecurityValidator.builder();
        names.forEach(ours::add);
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), ours.build()));
        installed = true;
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
