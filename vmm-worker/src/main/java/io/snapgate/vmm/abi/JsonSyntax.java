package io.snapgate.vmm.abi;

import java.util.HashSet;
import java.util.Set;

/**
 * Checks that text is exactly one JSON value (RFC 8259) with whitespace around it, and nothing a strict reader
 * would take two ways: no field name twice in one object, no backslash-u escape that leaves a surrogate
 * unpaired, no unpaired surrogate character, and at most {@link #MAX_DEPTH} nested arrays and objects (a
 * reader's recursion limit, and what any JSON library downstream accepts).
 */
public final class JsonSyntax {
    public static final int MAX_DEPTH = 512;

    private final String text;
    private int pos;

    private JsonSyntax(String text) {
        this.text = text;
    }

    /** Why {@code text} is not one JSON text ({@code "expected ',' or '}' at character 12"}), or null. */
    public static String problem(String text) {
        String unicode = Utf8.problem(text);
        if (unicode != null) {
            return unicode;
        }
        JsonSyntax reader = new JsonSyntax(text);
        try {
            reader.value(0);
            reader.whitespace();
            if (reader.pos < text.length()) {
                throw reader.fail("unexpected " + reader.describe() + " after the value");
            }
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private void value(int depth) {
        whitespace();
        if (pos >= text.length()) {
            throw fail("expected a value, found the end");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number();
                } else {
                    throw fail("expected a value, found " + describe());
                }
            }
        }
    }

    private void object(int depth) {
        nest(depth);
        pos++;
        whitespace();
        if (take('}')) {
            return;
        }
        Set<String> names = new HashSet<>();
        do {
            whitespace();
            int start = pos;
            if (pos >= text.length() || text.charAt(pos) != '"') {
                throw fail("expected a field name, found " + describe());
            }
            if (!names.add(string())) {
                pos = start;
                throw fail("a field name given twice in one object");
            }
            whitespace();
            if (!take(':')) {
                throw fail("expected ':', found " + describe());
            }
            value(depth);
            whitespace();
        } while (take(','));
        if (!take('}')) {
            throw fail("expected ',' or '}', found " + describe());
        }
    }

    private void array(int depth) {
        nest(depth);
        pos++;
        whitespace();
        if (take(']')) {
            return;
        }
        do {
            value(depth);
            whitespace();
        } while (take(','));
        if (!take(']')) {
            throw fail("expected ',' or ']', found " + describe());
        }
    }

    private void nest(int depth) {
        if (depth > MAX_DEPTH) {
            throw fail("more than " + MAX_DEPTH + " nested arrays and objects");
        }
    }

    /** The string's value (for field names); pos past its closing quote. */
    private String string() {
        StringBuilder value = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= text.length()) {
                throw fail("a string is not closed");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return value.toString();
            }
            if (c < 0x20) {
                throw fail(String.format("control character U+%04X in a string (escape it)", (int) c));
            }
            if (c == '\\') {
                escape(value);
            } else {
                value.append(c);
                pos++;
            }
        }
    }

    private void escape(StringBuilder value) {
        if (pos + 1 >= text.length()) {
            throw fail("a string is not closed");
        }
        char e = text.charAt(pos + 1);
        pos += 2;
        switch (e) {
            case '"', '\\', '/' -> value.append(e);
            case 'b' -> value.append('\b');
            case 'f' -> value.append('\f');
            case 'n' -> value.append('\n');
            case 'r' -> value.append('\r');
            case 't' -> value.append('\t');
            case 'u' -> unicodeEscape(value);
            default -> {
                pos -= 2;
                throw fail("invalid escape \\" + e);
            }
        }
    }

    /** A backslash-u escape (pos past its first two characters); a surrogate must be the high half of an escaped pair. */
    private void unicodeEscape(StringBuilder value) {
        int start = pos - 2;
        char c = hex4();
        if (Character.isHighSurrogate(c) && text.startsWith("\\u", pos)) {
            pos += 2;
            char low = hex4();
            if (Character.isLowSurrogate(low)) {
                value.append(c).append(low);
                return;
            }
        }
        if (Character.isSurrogate(c)) {
            pos = start;
            throw fail(String.format("unpaired surrogate escape \\u%04x", (int) c));
        }
        value.append(c);
    }

    private char hex4() {
        if (pos + 4 > text.length()) {
            throw fail("a \\u escape is cut short");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0) {
                throw fail("a \\u escape needs four hex digits");
            }
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private void number() {
        take('-');
        if (!take('0')) {
            digits("a digit");
        }
        if (take('.')) {
            digits("a digit after '.'");
        }
        if (take('e') || take('E')) {
            if (!take('+')) {
                take('-');
            }
            digits("a digit in the exponent");
        }
    }

    private void digits(String what) {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        if (pos == start) {
            throw fail("expected " + what + ", found " + describe());
        }
    }

    private void literal(String word) {
        if (!text.startsWith(word, pos)) {
            throw fail("expected a value, found " + describe());
        }
        pos += word.length();
    }

    private void whitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private boolean take(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private String describe() {
        return pos >= text.length() ? "the end" : "'" + text.charAt(pos) + "'";
    }

    private IllegalArgumentException fail(String message) {
        return new IllegalArgumentException(message + " at character " + text.codePointCount(0, pos));
    }
}
