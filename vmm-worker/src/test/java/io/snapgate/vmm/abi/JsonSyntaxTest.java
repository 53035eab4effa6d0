package io.snapgate.vmm.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** One JSON text, strictly: what RFC 8259 allows passes, everything else is refused saying what and where. */
class JsonSyntaxTest {
    @Test
    void everyKindOfValuePasses() {
        for (String text : new String[] {"null", "true", "false", "0", "-0.5e+10", "1E-3", "12345678901234567890",
                "\"\"", "\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00 é😀\"", "[]", "{}", " [1, [2, {}], \"x\"] ",
                "{\"a\": {\"a\": [null]}, \"b\": 1}", "\n\t{\"\": 0}\r\n"}) {
            assertThat(JsonSyntax.problem(text)).as(text).isNull();
        }
    }

    @Test
    void whatIsNotJsonIsNamedWithItsPlace() {
        assertThat(JsonSyntax.problem("")).isEqualTo("expected a value, found the end at character 0");
        assertThat(JsonSyntax.problem("[1,]")).isEqualTo("expected a value, found ']' at character 3");
        assertThat(JsonSyntax.problem("{\"a\" 1}")).isEqualTo("expected ':', found '1' at character 5");
        assertThat(JsonSyntax.problem("1 2")).isEqualTo("unexpected '2' after the value at character 2");
        assertThat(JsonSyntax.problem("01")).isEqualTo("unexpected '1' after the value at character 1");
        assertThat(JsonSyntax.problem("1.")).isEqualTo("expected a digit after '.', found the end at character 2");
        assertThat(JsonSyntax.problem("NaN")).isEqualTo("expected a value, found 'N' at character 0");
        assertThat(JsonSyntax.problem("\"a\u0001\"")).isEqualTo("control character U+0001 in a string (escape it)"
                + " at character 2");
        assertThat(JsonSyntax.problem("\"\\x\"")).isEqualTo("invalid escape \\x at character 1");
        assertThat(JsonSyntax.problem("[\"abc")).isEqualTo("a string is not closed at character 5");
        assertThat(JsonSyntax.problem("'a'")).isEqualTo("expected a value, found ''' at character 0");
    }

    @Test
    void aFieldNameTwiceInOneObjectIsRefused() {
        assertThat(JsonSyntax.problem("{\"a\": 1, \"b\": {\"a\": 2}, \"\\u0061\": 3}"))
                .isEqualTo("a field name given twice in one object at character 24");
    }

    @Test
    void unpairedSurrogatesAreRefusedEscapedOrNot() {
        assertThat(JsonSyntax.problem("\"\\ud800\"")).isEqualTo("unpaired surrogate escape \\ud800 at character 1");
        assertThat(JsonSyntax.problem("\"\\udc00\\ud800\"")).isEqualTo(
                "unpaired surrogate escape \\udc00 at character 1");
        assertThat(JsonSyntax.problem("\"\\ud83dx\"")).isEqualTo("unpaired surrogate escape \\ud83d at character 1");
        assertThat(JsonSyntax.problem("\"\ud800\"")).isEqualTo("unpaired surrogate \\ud800 at character 1");
    }

    @Test
    void nestingIsBounded() {
        String deep = "[".repeat(JsonSyntax.MAX_DEPTH) + "]".repeat(JsonSyntax.MAX_DEPTH);
        assertThat(JsonSyntax.problem(deep)).isNull();
        assertThat(JsonSyntax.problem("[" + deep + "]")).isEqualTo("more than 512 nested arrays and objects at"
                + " character 512");
        assertThat(JsonSyntax.problem("[".repeat(100_000))).startsWith("more than 512 nested");
    }

    @Test
    void aJsonTextIsCheckedWhenMade() {
        assertThat(new JsonText("[1]").text()).isEqualTo("[1]");
        assertThatThrownBy(() -> new JsonText("{")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a JSON text: expected a field name, found the end at character 1");
    }
}
