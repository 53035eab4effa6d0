package io.snapgate.gateway.http;

import static io.snapgate.gateway.testing.Responses.error;
import static io.snapgate.gateway.testing.Responses.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.gateway.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The example scripts (guests/examples-js), installed into a new store like hello, called over REST. */
class JavaScriptExamplesTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    @Test
    void validateReportsEveryProblemWithItsPath() {
        JsonObject schema = new JsonObject("""
                {"type": "object", "required": ["id", "items"], "additionalProperties": false,
                 "properties": {"id": {"type": "string", "pattern": "^o-[0-9]+$"},
                                "items": {"type": "array", "minItems": 1, "items": {"type": "object",
                                          "properties": {"qty": {"type": "integer", "minimum": 1}}}}}}""");
        assertThat(result(gw.call("validate", "validate", schema, new JsonObject("""
                {"id": "o-12", "items": [{"qty": 2}]}""")))).isEqualTo(new JsonObject().put("valid", true));
        assertThat(result(gw.call("validate", "validate", schema, new JsonObject("""
                {"id": "x", "items": [{"qty": 0}, {"qty": 1.5}], "extra": true}""")))).isEqualTo(new JsonObject("""
                {"valid": false, "errors": [
                  {"path": "$.id", "message": "must match ^o-[0-9]+$"},
                  {"path": "$.items[0].qty", "message": "must be at least 1"},
                  {"path": "$.items[1].qty", "message": "expected integer, got number"},
                  {"path": "$", "message": "unexpected property extra"}]}"""));
        assertThat(error(gw.call("validate", "validate", "not a schema", 1), 422, "GUEST_ERROR")
                .getString("guestMessage")).startsWith("TypeError: the schema must be a JSON object");
    }

    @Test
    void templateRendersValuesSectionsAndEscapes() {
        JsonObject data = new JsonObject("""
                {"name": "Ada <admin>", "items": [{"title": "tea", "qty": 2}, {"title": "cake", "qty": 1}],
                 "notes": []}""");
        assertThat(result(gw.call("template", "render",
                "Hi {{name}} / {{{name}}}:{{#items}} {{qty}}x {{title}};{{/items}}{{^notes}} no notes{{/notes}}", data)))
                .isEqualTo("Hi Ada &lt;admin&gt; / Ada <admin>: 2x tea; 1x cake; no notes");
        assertThat(error(gw.call("template", "render", "{{#a}}", data), 422, "GUEST_ERROR")
                .getString("guestMessage")).startsWith("SyntaxError: {{#a}} is never closed");
    }

    @Test
    void rulesDecideAndEvaluateRuleSets() {
        assertThat(result(gw.call("rules", "check", new JsonObject().put("amount", 12).put("country", "FR")
                .put("customer", new JsonObject().put("orders", 5)))))
                .isEqualTo(new JsonObject().put("decision", "accept").put("reasons", new JsonArray()));
        assertThat(result(gw.call("rules", "check", new JsonObject().put("amount", 5000).put("country", "XX"))))
                .isEqualTo(new JsonObject("""
                        {"decision": "reject", "reasons": ["blocked country", "large amount"]}"""));
        JsonArray rules = new JsonArray("""
                [{"name": "vip", "when": {"any": [{"fact": "tags", "op": "contains", "value": "vip"},
                                                  {"fact": "email", "op": "matches", "value": "@corp\\\\.example$"}]},
                  "then": {"discount": 10}},
                 {"name": "never", "when": {"not": {"fact": "tags", "op": "exists"}}}]""");
        assertThat(result(gw.call("rules", "evaluate", rules, new JsonObject().put("email", "a@corp.example")
                .put("tags", new JsonArray().add("new"))))).isEqualTo(new JsonObject("""
                {"fired": [{"name": "vip", "then": {"discount": 10}}], "checked": 2}"""));
    }
}
