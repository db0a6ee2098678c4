package dev.diag.sampler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The types a JFR chunk declares in its metadata event: each class's id, name and fields in the order their values
 * are written, each field's type, whether its values are constant pool keys, and whether it is an array.
 */
final class JfrMetadata {
    private static final long METADATA_EVENT = 0;

    /** How a type's values are written. */
    enum Kind { BYTE, INTEGER, FLOAT, DOUBLE, STRING, STRUCT }

    /** A declared type; a {@code STRUCT}'s values are its fields' values one after the other. */
    static final class Type {
        private final long id;
        private final String name;
        private final Kind kind;
        private Field[] fields = new Field[0];

        Type(long id, String name) {
            this.id = id;
            this.name = name;
            this.kind = kindOf(name);
        }

        long id() {
            return id;
        }

        String name() {
            return name;
        }

        Kind kind() {
            return kind;
        }

        Field[] fields() {
            return fields;
        }

        /** Returns the index of the field named {@code fieldName}, or -1. */
        int field(String fieldName) {
            for (int i = 0; i < fields.length; i++) {
                if (fields[i].name().equals(fieldName)) return i;
            }
            return -1;
        }
    }

    /** A field of a type. */
    record Field(String name, Type type, boolean constantPool, boolean array) {}

    /** One element of the metadata event's tree: a name, attributes and children. */
    private record Element(String name, Map<String, String> attributes, List<Element> children) {}

    private final Map<Long, Type> types;

    private JfrMetadata(Map<Long, Type> types) {
        this.types = types;
    }

    /** Returns the type with {@code id}, or null. */
    Type type(long id) {
        return types.get(id);
    }

    Iterable<Type> types() {
        return types.values();
    }

    /** Reads the metadata event at the input's position. */
    static JfrMetadata read(JfrInput in) throws JfrFormatException {
        in.readCount(); // size
        if (in.readLong() != METADATA_EVENT) throw new JfrFormatException("no metadata event at the chunk's offset");
        in.readLong(); // start time
        in.readLong(); // duration
        in.readLong(); // metadata id
        String[] strings = new String[in.readCount()];
        for (int i = 0; i < strings.length; i++) strings[i] = in.readString(null);
        Element root = element(in, strings, 0);
        Map<Long, Type> types = new HashMap<>();
        List<Element> classes = new ArrayList<>();
        for (Element metadata : root.children()) {
            if (!metadata.name().equals("metadata")) continue;
            for (Element c : metadata.children()) {
                if (!c.name().equals("class")) continue;
                Type t = new Type(number(c, "id"), c.attributes().get("name"));
                types.put(t.id(), t);
                classes.add(c);
            }
        }
        for (Element c : classes) {
            Type t = types.get(number(c, "id"));
            List<Field> fields = new ArrayList<>();
            for (Element f : c.children()) {
                if (!f.name().equals("field")) continue;
                Type fieldType = types.get(number(f, "class"));
                String name = f.attributes().get("name");
                if (fieldType == null) throw new JfrFormatException("field " + t.name() + "." + name + " of no type");
                String dimension = f.attributes().get("dimension");
                if (dimension != null && !dimension.equals("1")) {
                    throw new JfrFormatException("array of " + dimension + " dimensions");
                }
                boolean constantPool = "true".equals(f.attributes().get("constantPool"));
                fields.add(new Field(name, fieldType, constantPool, dimension != null));
            }
            t.fields = fields.toArray(new Field[0]);
        }
        return new JfrMetadata(types);
    }

    private static Element element(JfrInput in, String[] strings, int depth) throws JfrFormatException {
        if (depth > 32) throw new JfrFormatException("metadata nested too deep");
        String name = string(strings, in.readCount());
        int attributeCount = in.readCount();
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i < attributeCount; i++) {
            attributes.put(string(strings, in.readCount()), string(strings, in.readCount()));
        }
        int childCount = in.readCount();
        List<Element> children = new ArrayList<>(childCount);
        for (int i = 0; i < childCount; i++) children.add(element(in, strings, depth + 1));
        return new Element(name, attributes, children);
    }

    private static String string(String[] strings, int index) throws JfrFormatException {
        if (index >= strings.length) throw new JfrFormatException("metadata string " + index + " of " + strings.length);
        return strings[index];
    }

    private static long number(Element e, String attribute) throws JfrFormatException {
        try {
            return Long.parseLong(e.attributes().get(attribute));
        } catch (NumberFormatException ex) {
            throw new JfrFormatException(e.name() + " without a numeric " + attribute);
        }
    }

    private static Kind kindOf(String name) {
        if (name == null) return Kind.STRUCT;
        return switch (name) {
            case "boolean", "byte" -> Kind.BYTE;
            case "short", "int", "long", "char" -> Kind.INTEGER;
            case "float" -> Kind.FLOAT;
            case "double" -> Kind.DOUBLE;
            case "java.lang.String" -> Kind.STRING;
            default -> Kind.STRUCT;
        };
    }
}
