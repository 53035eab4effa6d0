package io.snapgate.vmm.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * musl's C library inside a guest: formatting, parsing, sorting, math, non-local jumps, character classes,
 * strings, the host's clocks and the SDK's random stream, each compared with what C specifies.
 */
class SandboxLibcTest extends LibcGuestSandbox {

    @Test
    void snprintfFormatsDoubles() {
        assertThat(sandbox.call("format_f64", Math.PI))
                .isEqualTo("3.142|3.141593e+00|3.14159|      3.14|3.1     |+3|0x1.921fb54442d18p+1");
        assertThat(sandbox.call("format_f64", -0.0005))
                .isEqualTo("-0.001|-5.000000e-04|-0.0005|     -0.00|-0.0    |-0|-0x1.0624dd2f1a9fcp-11");
        assertThat(sandbox.call("format_f64", 2.5)).isEqualTo("2.500|2.500000e+00|2.5|      2.50|2.5     |+2|0x1.4p+1");
        assertThat((String) sandbox.call("format_f64", 1e300)).startsWith("1000000000000000052504760255204420248704468")
                .contains("|1.000000e+300|1e+300|");
    }

    @Test
    void snprintfFormatsIntegersStringsAndTruncates() {
        assertThat(sandbox.call("format_mixed")).isEqualTo(
                "-42|   42|42   |00042|ff|010|18446744073709551615|-9000000000|z|ab|   ab|%|1.500000|trunc:9|8");
    }

    @Test
    void strtodParsesAndStopsWhereTheNumberEnds() {
        assertThat(sandbox.call("parse_f64", "  -12.5e2xyz")).isEqualTo("-1250|xyz|0");
        assertThat(sandbox.call("parse_f64", "0x1p4")).isEqualTo("16||0");
        assertThat(sandbox.call("parse_f64", ".5")).isEqualTo("0.5||0");
        assertThat(sandbox.call("parse_f64", "inf")).isEqualTo("inf||0");
        assertThat(sandbox.call("parse_f64", "0.1")).isEqualTo("0.10000000000000001||0");
        assertThat(sandbox.call("parse_f64", "1e-400")).as("underflow: ERANGE").isEqualTo("0||34");
        assertThat(sandbox.call("parse_f64", "word")).as("musl: EINVAL when nothing converts").isEqualTo("0|word|22");
    }

    @Test
    void strtolParsesEveryBaseAndReportsOverflow() {
        assertThat(sandbox.call("parse_long", "  -0x7fffffffffffffffff!", 16)).isEqualTo("-9223372036854775808|!|34");
        assertThat(sandbox.call("parse_long", "0777z", 0)).isEqualTo("511|z|0");
        assertThat(sandbox.call("parse_long", "zz", 36)).isEqualTo("1295||0");
        assertThat(sandbox.call("parse_numbers", "0x1F")).isEqualTo("0|0|31|31|31|31|31");
        assertThat(sandbox.call("parse_numbers", "-17.75"))
                .isEqualTo("-17|-17|-17|18446744073709551599|18446744073709551599|-17.75|-17.75");
    }

    @Test
    void qsortSortsAndBsearchFinds() {
        assertThat(sandbox.call("sort_ints", "5,-3,12,0,7,7,-100,2147483647,-2147483648"))
                .isEqualTo("-2147483648,-100,-3,0,5,7,7,12,2147483647");
        assertThat(sandbox.call("sort_ints", "")).isEqualTo("");
        assertThat(sandbox.call("find_int", "-9,-1,0,4,8,15,16,23,42", 16)).isEqualTo(6);
        assertThat(sandbox.call("find_int", "-9,-1,0,4,8,15,16,23,42", -9)).isEqualTo(0);
        assertThat(sandbox.call("find_int", "-9,-1,0,4,8,15,16,23,42", 5)).isEqualTo(-1);
    }

    @Test
    void divAndAbs() {
        assertThat(sandbox.call("divide", -7, 2)).isEqualTo("-3 -1|-3 -1|7|2|7000000");
        assertThat(sandbox.call("divide", 9, -4)).isEqualTo("-2 1|-2 1|9|4|9000000");
    }

    @Test
    void sscanfFillsWhatMatches() {
        assertThat(sandbox.call("scan", "42 2.5 word ff")).isEqualTo("4|42|2.500|word|255");
        assertThat(sandbox.call("scan", "-7 x")).isEqualTo("1|-7|0.000||0");
        assertThat(sandbox.call("scan", "")).isEqualTo("-1|0|0.000||0");
    }

    private static final Map<String, DoubleUnaryOperator> UNARY = Map.ofEntries(
            Map.entry("sqrt", StrictMath::sqrt), Map.entry("cbrt", StrictMath::cbrt),
            Map.entry("sin", StrictMath::sin), Map.entry("cos", StrictMath::cos), Map.entry("tan", StrictMath::tan),
            Map.entry("asin", StrictMath::asin), Map.entry("acos", StrictMath::acos),
            Map.entry("atan", StrictMath::atan), Map.entry("sinh", StrictMath::sinh),
            Map.entry("cosh", StrictMath::cosh), Map.entry("tanh", StrictMath::tanh), Map.entry("exp", StrictMath::exp),
            Map.entry("expm1", StrictMath::expm1), Map.entry("log", StrictMath::log),
            Map.entry("log10", StrictMath::log10), Map.entry("log1p", StrictMath::log1p),
            Map.entry("floor", StrictMath::floor), Map.entry("ceil", StrictMath::ceil),
            Map.entry("rint", StrictMath::rint), Map.entry("fabs", StrictMath::abs),
            Map.entry("exp2", x -> StrictMath.pow(2, x)),
            Map.entry("log2", x -> StrictMath.log(x) / StrictMath.log(2)));
    private static final Map<String, DoubleBinaryOperator> BINARY = Map.of("pow", StrictMath::pow,
            "atan2", StrictMath::atan2, "fmod", (x, y) -> x % y, "hypot", StrictMath::hypot, "fmax", Math::max,
            "fmin", Math::min, "remainder", StrictMath::IEEEremainder, "copysign", Math::copySign);

    /** Within two units in the last place of what Java's StrictMath computes (NaN where it gives NaN). */
    private static void assertClose(Object actual, double expected, String what) {
        if (Double.isNaN(expected)) {
            assertThat((Double) actual).as(what).isNaN();
        } else {
            assertThat((Double) actual).as(what).isCloseTo(expected, within(2 * Math.ulp(expected)));
        }
    }

    @Test
    void mathMatchesJava() {
        for (double x : new double[] {0.3, 0.75, 2.0, 10.5}) {
            UNARY.forEach((name, f) -> assertClose(sandbox.call("math1", name, x), f.applyAsDouble(x),
                    name + "(" + x + ")"));
            BINARY.forEach((name, f) -> assertClose(sandbox.call("math2", name, x, -1.75), f.applyAsDouble(x, -1.75),
                    name + "(" + x + ", -1.75)"));
        }
        assertThat((Double) sandbox.call("math1", "round", 2.5)).isEqualTo(3.0);
        assertThat((Double) sandbox.call("math1", "trunc", -2.7)).isEqualTo(-2.0);
        assertThat((Double) sandbox.call("math1", "tgamma", 5.0)).isCloseTo(24.0, within(1e-12));
        assertThat((Double) sandbox.call("math1", "lgamma", 10.0)).isCloseTo(StrictMath.log(362880), within(1e-12));
        assertThat((Double) sandbox.call("math1", "erf", 0.5)).isCloseTo(0.5204998778130465, within(1e-15));
        assertThat((Double) sandbox.call("math1", "sqrt", -1.0)).isNaN();
        assertThat((Double) sandbox.call("math1", "log", 0.0)).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void longjmpUnwindsNestedCalls() {
        assertThat(sandbox.call("jump", 0)).isEqualTo("setjmp returned 7, before=2");
        assertThat(sandbox.call("jump", 200)).isEqualTo("setjmp returned 7, before=2");
        assertThat(sandbox.call("jump", 1)).as("the sandbox keeps working").isEqualTo("setjmp returned 7, before=2");
    }

    @Test
    void ctypeClassifiesAndConvertsCase() {
        assertThat(sandbox.call("classify", "Hello, World 42!"))
                .isEqualTo("alpha=10 digit=2 space=2 punct=2 upper=2 xdigit=4|HELLO, WORLD 42!|hello, world 42!");
    }

    @Test
    void stringFunctionsBeyondTheSdk() {
        assertThat(sandbox.call("strings", "hello, world of words"))
                .isEqualTo("[hello][world][of][words]|5|17|7|5|5|abcd|0|0");
    }

    @Test
    void heapStringsComeFromTheSdkHeap() {
        assertThat(sandbox.call("heap_strings", 5L)).isEqualTo("5 squared is 25|10|0;1;2;3;4;");
        assertThat((String) sandbox.call("heap_strings", 3000L))
                .startsWith("3000 squared is 9000000|13890|0;1;2;3;4;5;6;7;8;9");
    }

    @Test
    void wallClockIsTheHostsClock() {
        long before = Instant.now().getEpochSecond();
        String[] seconds = ((String) sandbox.call("wall_clock")).split("\\|");
        long after = Instant.now().getEpochSecond();
        assertThat(seconds).hasSize(3).allSatisfy(s -> assertThat(Long.parseLong(s)).isBetween(before, after));
    }

    @Test
    void monotonicClockAdvances() {
        assertThat((Long) sandbox.call("monotonic_ns", 1_000_000L)).isPositive().isLessThan(60_000_000_000L);
    }

    @Test
    void formatsTimesInUtc() {
        assertThat(sandbox.call("format_time", 0L)).isEqualTo("1970-01-01 00:00:00 Thu 001|Thu Jan  1 00:00:00 1970|0");
        assertThat(sandbox.call("format_time", 1_700_000_000L))
                .isEqualTo("2023-11-14 22:13:20 Tue 318|Tue Nov 14 22:13:20 2023|1700000000");
        assertThat((String) sandbox.call("format_time", 100_000_000_000_000L)).as("asctime_r: a year too long")
                .endsWith("|Value too large for data type|100000000000000");
    }

    @Test
    void srandRepeatsASequenceUntilTheNextRestore() {
        String seven = (String) sandbox.call("seeded_rand", 7L);
        assertThat(sandbox.call("seeded_rand", 7L)).isEqualTo(seven);
        assertThat(sandbox.call("seeded_rand", 8L)).isNotEqualTo(seven);
        for (String value : seven.split(",")) {
            assertThat(Long.parseLong(value)).isBetween(0L, 0x7fffffffL);
        }
    }

    @Test
    void randDiffersBetweenSandboxesAndAfterRestore() {
        int first = (Integer) sandbox.call("rand_value");
        sandbox.restore();
        int afterRestore = (Integer) sandbox.call("rand_value");
        try (Sandbox other = Sandbox.fromSnapshot(sandbox.currentSnapshot(), List.of(), backend,
                SandboxConfig.DEFAULT, GuestLog.SLF4J)) {
            assertThat(List.of(first, afterRestore, (Integer) other.call("rand_value")))
                    .doesNotHaveDuplicates();
        }
    }

    @Test
    void getentropyDrawsFromTheRandomStream() {
        byte[] a = (byte[]) sandbox.call("random_bytes", 37L);
        byte[] b = (byte[]) sandbox.call("random_bytes", 37L);
        assertThat(a).hasSize(37).isNotEqualTo(b).isNotEqualTo(new byte[37]);
    }
}
