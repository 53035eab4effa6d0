package io.snapgate.store.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.snapgate.store.Problem;
import io.snapgate.store.SnapshotFormatException;
import java.io.IOException;

/**
 * The one JSON codec for the store's own documents. Reading is strict: unknown fields, duplicate keys,
 * trailing content, missing record components, and scalars of the wrong JSON type (a string for a number, a
 * float for an integer, a number for a string) are all refused. Writing is deterministic (fields in record
 * order, map keys sorted, no whitespace), so equal documents are equal bytes and equal blobs.
 */
public final class StrictJson {
    /** The largest JSON document the store reads or writes. */
    public static final int MAX_DOCUMENT = 1 << 20;

    private static final ObjectMapper MAPPER = mapper();
    /** One reader per document type and mode, made once: a reader per read costs a lookup and a config copy. */
    private static final ClassValue<ObjectReader> STRICT = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return MAPPER.readerFor(type);
        }
    };
    private static final ClassValue<ObjectReader> EXTENSIBLE = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return STRICT.get(type).without(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
                    DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        }
    };

    private StrictJson() {
    }

    private static ObjectMapper mapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .build();
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    /** Parses {@code json} as a {@code type}, every record component required; {@code what} names the document. */
    public static <T> T read(byte[] json, Class<T> type, String what) {
        return read(json, STRICT.get(type), what);
    }

    /**
     * Like {@link #read} but for the OCI documents (oci-layout, index, manifests), which other tools write too and
     * whose spec lets them grow: a missing component is null, 0 or false, and an unknown field is ignored (the
     * spec's extensibility rule). Duplicate keys and wrong JSON types are still refused; the caller's checks
     * must refuse what may not be missing.
     */
    public static <T> T readExtensible(byte[] json, Class<T> type, String what) {
        checkSize(json, what);
        return bind(() -> EXTENSIBLE.get(type).readValue(json), what);
    }

    /** {@link #readExtensible} of a part of a document already read as a tree ({@link #readTree}). */
    public static <T> T readExtensible(JsonNode node, Class<T> type, String what) {
        return bind(() -> EXTENSIBLE.get(type).readValue(node), what);
    }

    /** The document as a tree, to keep what a rewrite must not lose; duplicate keys are refused. */
    public static JsonNode readTree(byte[] json, String what) {
        checkSize(json, what);
        return bind(() -> MAPPER.readTree(json), what);
    }

    private static <T> T read(byte[] json, ObjectReader reader, String what) {
        checkSize(json, what);
        return bind(() -> reader.readValue(json), what);
    }

    private static void checkSize(byte[] json, String what) {
        if (json.length > MAX_DOCUMENT) {
            throw new SnapshotFormatException(Problem.DOCUMENT_TOO_LARGE,
                    what + " holds " + json.length + " bytes, more than the " + MAX_DOCUMENT + " allowed");
        }
    }

    /** Jackson's reading, with each failure the {@link Problem} it is. */
    private interface Parse<T> {
        T parse() throws IOException;
    }

    private static <T> T bind(Parse<T> parse, String what) {
        T value;
        try {
            value = parse.parse();
        } catch (UnrecognizedPropertyException e) {
            throw new SnapshotFormatException(Problem.UNKNOWN_FIELD,
                    what + " has an unknown field \"" + e.getPropertyName() + "\" at " + path(e), e);
        } catch (JsonProcessingException e) {
            throw new SnapshotFormatException(Problem.MALFORMED_JSON, what + " does not parse: "
                    + e.getOriginalMessage() + " at " + path(e), e);
        } catch (IOException e) {
            throw new SnapshotFormatException(Problem.MALFORMED_JSON, what + " does not parse: " + e.getMessage(), e);
        }
        if (value == null || value instanceof JsonNode node && (node.isNull() || node.isMissingNode())) {
            String empty = value instanceof JsonNode node && node.isMissingNode() ? "empty" : "null";
            throw new SnapshotFormatException(Problem.MALFORMED_JSON, what + " is " + empty
                    + ", expected a JSON object");
        }
        return value;
    }

    /** The deterministic encoding of {@code document}. */
    public static byte[] write(Object document) {
        try {
            return MAPPER.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + document.getClass().getSimpleName(), e);
        }
    }

    /** {@code document} as a tree, to add to a document read with {@link #readTree}. */
    public static JsonNode toTree(Object document) {
        return MAPPER.valueToTree(document);
    }

    /** Where in the document: {@code memory.regions[2].name}, or a byte offset when no field is known. */
    private static String path(JsonProcessingException e) {
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
                } else {
                    path.append('[').append(r.getIndex()).append(']');
                }
            }
            return path.toString();
        }
        return e.getLocation() == null ? "an unknown place" : "byte offset " + e.getLocation().getByteOffset();
    }
}
