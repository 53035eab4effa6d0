package io.snapgate.vmm.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapgate.vmm.abi.FunctionSignature;
import io.snapgate.vmm.abi.JsonText;
import io.snapgate.vmm.abi.ValueType;
import io.snapgate.vmm.memory.LayoutSizes;
import io.snapgate.vmm.testing.TestGuests;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The JavaScript runtime guest (guests/js, Duktape): a script as the init input, its exports as functions of JSON
 * values, the globals the runtime gives it, and what happens when it throws, loops or runs out of heap.
 */
class SandboxJavaScriptTest extends OnEveryBackend {
    static final LayoutSizes SIZES = new LayoutSizes(8 << 20, 1 << 20, 256 << 10, 256 << 10);
    /** What the gateway gives a script unless its deploy asks for other sizes (JavaScriptGuest.SIZES). */
    static final LayoutSizes SCRIPT_SIZES = new LayoutSizes(16 << 20, 1 << 20, 256 << 10, 256 << 10);

    private final List<String> log = new CopyOnWriteArrayList<>();
    private Sandbox sandbox;

    private Sandbox load(String script) {
        return load(script, SIZES);
    }

    private Sandbox load(String script, LayoutSizes sizes) {
        sandbox = Sandbox.builder(TestGuests.elf("js")).backend(backend)
                .hostFunctions(ExampleHostFunctions.create(Duration.ZERO))
                .config(SandboxConfig.DEFAULT.withSizes(sizes).withCallTimeout(Duration.ofSeconds(60)))
                .log((level, message) -> log.add(level + ":" + message))
                .initInput(script.getBytes(StandardCharsets.UTF_8)).build();
        return sandbox;
    }

    private static JsonText json(String text) {
        return new JsonText(text);
    }

    @AfterEach
    void close() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void exportsAreFunctionsOfJsonValues() {
        load("""
                exports.add = function (a, b) { return a + b; };
                exports.check = function (order) {
                    return { ok: order.amount < 100, items: order.items.length, tags: ['a', null, true] };
                };
                module.exports.nothing = function () {};
                exports.notAFunction = 42;
                """);
        assertThat(sandbox.functions()).containsExactly(
                FunctionSignature.of("add", ValueType.JSON, ValueType.JSON, ValueType.JSON),
                FunctionSignature.of("check", ValueType.JSON, ValueType.JSON),
                FunctionSignature.of("nothing", ValueType.JSON));
        assertThat(sandbox.call("add", json("2"), json("3.5"))).isEqualTo(json("5.5"));
        assertThat(sandbox.call("add", json("\"a\""), json("[1]"))).isEqualTo(json("\"a1\""));
        assertThat(sandbox.call("check", json("{\"amount\": 12, \"items\": [1, 2]}")))
                .isEqualTo(json("{\"ok\":true,\"items\":2,\"tags\":[\"a\",null,true]}"));
        assertThat(sandbox.call("nothing")).as("undefined").isEqualTo(json("null"));
    }

    @Test
    void textOutsideTheBasicPlaneSurvivesBothWays() {
        load("exports.twice = function (s) { return s + s; };"
                + "exports.made = function () { return '\\ud83d\\ude00'; };"
                + "exports.lone = function () { return ['\\ud800']; };");
        assertThat(sandbox.call("twice", json("\"é😀\""))).isEqualTo(json("\"é😀é😀\""));
        assertThat(sandbox.call("made")).isEqualTo(json("\"😀\""));
        assertThatThrownBy(() -> sandbox.call("lone")).isInstanceOfSatisfying(GuestErrorException.class, e -> {
            assertThat(e.code()).isEqualTo(65);
            assertThat(e.getMessage()).contains("unpaired surrogate");
        });
        assertThat(sandbox.call("made")).as("the sandbox stays ready").isEqualTo(json("\"😀\""));
    }

    @Test
    void aThrownExceptionIsAGuestErrorWithItsStack() {
        load("""
                function inner(x) { throw new TypeError('bad order ' + x); }
                exports.fail = function (x) { return inner(x); };
                exports.throwString = function () { throw 'plain'; };
                """);
        assertThatThrownBy(() -> sandbox.call("fail", json("7"))).isInstanceOfSatisfying(GuestErrorException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(64);
                    assertThat(e.getMessage()).contains("TypeError: bad order 7").contains("inner (script.js:1)")
                            .contains("script.js:2");
                });
        assertThatThrownBy(() -> sandbox.call("throwString")).hasMessageContaining("plain");
        assertThat(sandbox.status()).isEqualTo(SandboxStatus.READY);
    }

    @Test
    void aSyntaxErrorFailsTheInitWithItsLine() {
        assertThatThrownBy(() -> load("exports.f = function () {\n  return 1 +;\n};\n"))
                .isInstanceOf(SandboxException.class).hasMessageContaining("SyntaxError").hasMessageContaining("line 2");
    }

    @Test
    void anExceptionAtTheTopLevelFailsTheInit() {
        assertThatThrownBy(() -> load("exports.f = function () {};\nnull.boom;\n"))
                .isInstanceOf(SandboxException.class).hasMessageContaining("TypeError").hasMessageContaining("script.js");
    }

    @Test
    void consoleWritesTheGuestLog() {
        load("exports.say = function (x) { console.log('hello', x, [1, {a: 2}]); console.warn('careful');"
                + " console.error(new Error('oops')); console.debug('\\ud800 lone'); return null; };");
        sandbox.call("say", json("{\"n\": 1}"));
        assertThat(log).contains("2:hello {\"n\":1} [1,{\"a\":2}]", "3:careful", "1:\\ud800 lone");
        assertThat(log).anySatisfy(line -> assertThat(line).startsWith("4:Error: oops"));
    }

    @Test
    void aLineTooLongToCopyIsARangeError() {
        load("exports.huge = function () {"
                + " try { console.log('x'.repeat(3 << 20)); } catch (e) { return e.message; } };");
        assertThat(sandbox.call("huge"))
                .isEqualTo(json("\"console: the heap has no room to copy a line of 3145728 bytes\""));
    }

    @Test
    void globalsLiveUntilARestore() {
        load("var count = 0; exports.count = function (n) { count += n; return count; };");
        assertThat(sandbox.call("count", json("2"))).isEqualTo(json("2"));
        assertThat(sandbox.call("count", json("3"))).isEqualTo(json("5"));
        sandbox.restore();
        assertThat(sandbox.call("count", json("3"))).isEqualTo(json("3"));
    }

    @Test
    void mathRandomIsReseededOnEveryRestore() {
        load("exports.rand = function () { return [Math.random(), Math.random()]; };");
        JsonText first = (JsonText) sandbox.call("rand");
        sandbox.restore();
        JsonText second = (JsonText) sandbox.call("rand");
        assertThat(second).isNotEqualTo(first);
        assertThat(first.text()).matches("\\[0\\.\\d+(e-\\d+)?,0\\.\\d+(e-\\d+)?\\]");
    }

    @Test
    void dateNowIsTheHostsClock() {
        load("exports.now = function () { return Date.now(); };");
        long before = System.currentTimeMillis();
        long now = Long.parseLong(((JsonText) sandbox.call("now")).text());
        assertThat(now).isBetween(before - 1000, System.currentTimeMillis() + 1000);
    }

    @Test
    void hostFunctionsAreCallable() {
        load("""
                exports.add = function (a, b) { return snapgate.host('host_add(i32, i32) -> i32', a, b); };
                exports.echo = function (v) {
                    var bytes = snapgate.host('host_echo_bytes(bytes) -> bytes', new Uint8Array([1, 2, 255]));
                    return [snapgate.host('host_echo_string(string) -> string', v),
                            snapgate.host('host_echo_u64(u64) -> u64', 9007199254740991),
                            snapgate.host('host_echo_bool(bool) -> bool', true), bytes.length, bytes[2]];
                };
                exports.wrongType = function () { return snapgate.host('host_add(i32, i32) -> i32', 1.5, 2); };
                exports.failing = function () { return snapgate.host('host_fail() -> i32'); };
                """);
        assertThat(sandbox.call("add", json("40"), json("2"))).isEqualTo(json("42"));
        assertThat(sandbox.call("echo", json("\"hé\""))).isEqualTo(json("[\"hé\",9007199254740991,true,3,255]"));
        assertThatThrownBy(() -> sandbox.call("wrongType"))
                .hasMessageContaining("argument 0 of host function host_add: expected an integer");
        assertThatThrownBy(() -> sandbox.call("failing")).hasMessageContaining("host function host_fail failed");
    }

    @Test
    void heapExhaustionPoisonsTheSandboxAndARestoreRecovers() {
        load("exports.hog = function () { var a = []; for (;;) a.push(new Uint8Array(1 << 20)); };"
                + "exports.ok = function () { return 'ok'; };");
        assertThatThrownBy(() -> sandbox.call("hog")).isInstanceOfSatisfying(SandboxException.class,
                e -> assertThat(e.getMessage()).contains("heap is exhausted"));
        sandbox.restore();
        assertThat(sandbox.call("ok")).isEqualTo(json("\"ok\""));
    }

    @Test
    void anEndlessLoopIsStoppedAtItsDeadline() {
        load("exports.spin = function () { for (;;) {} }; exports.ok = function () { return 1; };");
        assertThatThrownBy(() -> sandbox.call(Duration.ofMillis(200), "spin"))
                .isInstanceOfSatisfying(SandboxException.class,
                        e -> assertThat(e.failure()).isEqualTo(Failure.TIMED_OUT));
        sandbox.restore();
        assertThat(sandbox.call("ok")).isEqualTo(json("1"));
    }

    /** What guests/README.md says a script gets: ES5.1 with these later parts, and not those. */
    @Test
    void theLanguageIsEs51WithSomeLaterParts() {
        load("""
                var probes = ['const c = 1; c', '({["k" + 1]: 1}).k1', '0o17 + 0b1', '2 ** 10', 'typeof Symbol',
                    'typeof Proxy', 'typeof Reflect', 'typeof Uint8Array', 'typeof DataView', 'typeof Object.assign',
                    'typeof "".startsWith', 'typeof "".includes', 'typeof String.fromCodePoint', 'typeof Math.trunc',
                    'typeof Number.isInteger', 'typeof TextEncoder', 'typeof globalThis',
                    'let x = 1', '(a => a)', '`t`', 'class A {}', 'var {a} = {}', '[...[1]]', '(function (a = 1) {})',
                    'for (var v of []) {}', 'typeof Promise', 'typeof Map', 'typeof Set', 'typeof Array.from',
                    'typeof [].find', 'typeof [].includes', 'typeof Object.entries', 'typeof "".padStart'];
                exports.probe = function () {
                    return probes.map(function (p) {
                        try { return (0, eval)(p) === 'undefined' ? 'missing' : 'ok'; } catch (e) { return e.name; }
                    }).join(' ');
                };
                """);
        assertThat(sandbox.call("probe")).isEqualTo(json("\"ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok"
                + " SyntaxError SyntaxError SyntaxError SyntaxError SyntaxError SyntaxError SyntaxError SyntaxError"
                + " missing missing missing missing missing missing missing missing\""));
    }

    /** Recursions without end, each a different way down: in JavaScript alone, and through the engine's C. */
    static final String RECURSIONS = """
            var depth = 0;
            function down(k) { depth = k; return down(k + 1) + 1; }
            function ping(k) { return pong(k + 1) + 1; }
            function pong(k) { return ping(k + 1) + 1; }
            function count(k, n) { if (k === n) return k; return count(k + 1, n); }
            function mapped(k) { depth = k; return [k].map(function () { return mapped(k + 1); })[0]; }
            function replaced(k) {
                depth = k;
                return JSON.stringify({ a: 1 }, function (key, v) { return key === 'a' ? replaced(k + 1) : v; }).length;
            }
            function Endless() {}
            Endless.prototype.toString = function () { return String(new Endless()); };
            var names = [];
            for (var i = 0; i < 200; i++) names.push('v' + i + ' = ' + i);
            var locals = 'var ' + names.join(', ');
            var fat = new Function('k', locals + '; return fat(k + 1) + v1;');
            var ways = {
                plain: function () { return down(0); },
                mutual: function () { return ping(0); },
                callbacks: function () { return mapped(0); },
                replacer: function () { return replaced(0); },
                toString: function () { return String(new Endless()); },
                manyLocals: function () { return fat(0); },
                regexpMatch: function () { return /(a|b)*c/.test('a'.repeat(100000)); },
                regexpNesting: function () { return new RegExp('('.repeat(50000) + ')'.repeat(50000)); },
                jsonParse: function () { return JSON.parse('['.repeat(100000)); },
                jsonStringify: function () {
                    var v = [];
                    for (var i = 0; i < 5000; i++) v = [v];
                    return JSON.stringify(v);
                },
                compile: function () { return eval('function f() {'.repeat(3000) + '}'.repeat(3000)); }
            };
            exports.names = function () { return Object.keys(ways); };
            exports.caught = function (way) {
                depth = 0;
                try {
                    ways[way]();
                    return 'no error';
                } catch (e) {
                    return [e.name, depth, 'went on: ' + [1, 2, 3].map(function (x) { return x * 2; })];
                }
            };
            exports.uncaught = function (way) { return ways[way](); };
            exports.tail = function (n) { return count(0, n); };
            exports.ok = function () { return 'ok'; };
            """;

    /**
     * Deep recursion is a RangeError the script can catch and go on from, whichever way it goes down; uncaught it
     * is the guest error with its stack; either way the sandbox stays ready. The engine's limits
     * (guests/js/engine_limits.h) keep every way well above the guard page below the stack.
     */
    @Test
    void deepRecursionIsARangeErrorTheScriptCanCatch() {
        load(RECURSIONS, SCRIPT_SIZES);
        List<String> ways = List.of("plain", "mutual", "callbacks", "replacer", "toString", "manyLocals",
                "regexpMatch", "regexpNesting", "jsonParse", "jsonStringify", "compile");
        assertThat(sandbox.call("names")).as("every way the script has")
                .isEqualTo(json(ways.stream().map(w -> '"' + w + '"').collect(Collectors.joining(",", "[", "]"))));
        for (String way : ways) {
            JsonText arg = json('"' + way + '"');
            assertThat(((JsonText) sandbox.call("caught", arg)).text()).as(way)
                    .matches("\\[\"RangeError\",\\d+,\"went on: 2,4,6\"\\]");
            assertThatThrownBy(() -> sandbox.call("uncaught", arg)).as(way)
                    .isInstanceOfSatisfying(GuestErrorException.class, e -> {
                        assertThat(e.code()).isEqualTo(64);
                        assertThat(e.getMessage()).contains("RangeError").contains("\n    at ");
                    });
            assertThat(sandbox.status()).as(way).isEqualTo(SandboxStatus.READY);
        }
        assertThat(((JsonText) sandbox.call("caught", json("\"plain\""))).text()).as("JavaScript calls alone")
                .contains("\"RangeError\",9998,");
        assertThatThrownBy(() -> sandbox.call("uncaught", json("\"plain\"")))
                .hasMessageContaining("RangeError: callstack limit").hasMessageContaining("at down (script.js:2)");
        assertThat(sandbox.call("tail", json("20000"))).as("a call in tail position reuses its caller's frame")
                .isEqualTo(json("20000"));
        assertThat(sandbox.call("ok")).isEqualTo(json("\"ok\""));
    }

    /** A result nested deeper than the host takes (512 levels) is a RangeError, as JSON.stringify's own limit. */
    @Test
    void aResultNestedDeeperThanTheHostTakesIsARangeError() {
        load("exports.nested = function (n) { var v = []; for (var i = 1; i < n; i++) v = [v]; return v; };");
        assertThat(((JsonText) sandbox.call("nested", json("512"))).text()).hasSize(1024);
        assertThatThrownBy(() -> sandbox.call("nested", json("513")))
                .isInstanceOfSatisfying(GuestErrorException.class, e -> assertThat(e.code()).isEqualTo(64))
                .hasMessageContaining("RangeError: encode recursion limit");
        assertThat(sandbox.status()).isEqualTo(SandboxStatus.READY);
    }

    /**
     * The limits keep room below the last check for a garbage collection, which marks nested objects 256 levels
     * deep: a collection at the bottom of a recursion the stack stopped survives. On a stack too small for that
     * room the guard page below the stack still holds: the call faults there, and a restore recovers.
     */
    @Test
    void theGuardPageHoldsWhereTheStackIsTooSmallForTheLimits() {
        String script = """
                var nested = {};
                for (var i = 0; i < 1000; i++) nested = { inner: nested };
                var outcome;
                function dive(k) {
                    try {
                        return JSON.stringify([0], function (key, v) { return key === '0' ? dive(k + 1) : v; }).length;
                    } catch (e) {
                        Duktape.gc();
                        outcome = e.name + ', then a collection';
                        return 0;
                    }
                }
                exports.dive = function () { dive(0); return outcome; };
                exports.ok = function () { return 'ok'; };
                """;
        load(script, SCRIPT_SIZES);
        assertThat(sandbox.call("dive")).isEqualTo(json("\"RangeError, then a collection\""));
        sandbox.close();

        load(script, new LayoutSizes(16 << 20, 32 << 10, 256 << 10, 256 << 10));
        assertThatThrownBy(() -> sandbox.call("dive")).as("a fault on the guard page below the stack")
                .isInstanceOf(MemoryAccessException.class).hasMessageContaining("stack overflow");
        sandbox.restore();
        assertThat(sandbox.call("ok")).isEqualTo(json("\"ok\""));
    }
}
