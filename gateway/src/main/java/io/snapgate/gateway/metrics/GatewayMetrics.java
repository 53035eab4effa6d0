package io.snapgate.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The node's Prometheus registry: Vert.x's own meters (through vertx-micrometer-metrics) and snapgate's: calls
 * by outcome, call latency as a histogram, and gauges for the queue, busy workers, mapped sandboxes, open
 * sessions and the store's size. One registry per gateway, so several gateways in one JVM stay apart.
 */
public final class GatewayMetrics {
    /** Histogram buckets of the call latency, from 100 us to 30 s. */
    private static final Duration[] BUCKETS = java.util.stream.LongStream.of(100, 250, 500, 1_000, 2_500, 5_000,
            10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 30_000_000)
            .mapToObj(Duration::ofNanos).map(d -> d.multipliedBy(1000)).toArray(Duration[]::new);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> calls = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /** What {@link #counter} counters read: a FunctionCounter holds its object only weakly. */
    private final List<Supplier<Number>> counted = new CopyOnWriteArrayList<>();

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Counts one call that ended with {@code outcome} ({@code ok} or an error code) after {@code nanos}. */
    public void call(String outcome, long nanos) {
        calls.computeIfAbsent(outcome, o -> Counter.builder("snapgate.calls").tag("outcome", o)
                .description("calls by outcome").register(registry)).increment();
        latency.computeIfAbsent(outcome, o -> Timer.builder("snapgate.call.duration").tag("outcome", o)
                .description("call latency from admission to answer").serviceLevelObjectives(BUCKETS)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counts one event of {@code name} (such as {@code snapgate.fetches}) that ended with {@code outcome}. */
    public void count(String name, String description, String outcome) {
        counters.computeIfAbsent(name + "|" + outcome, k -> Counter.builder(name).tag("outcome", outcome)
                .description(description).register(registry)).increment();
    }

    /** Adds {@code amount} to the counter {@code name} (such as bytes fetched). */
    public void add(String name, String description, double amount) {
        counters.computeIfAbsent(name, k -> Counter.builder(name).description(description).register(registry))
                .increment(amount);
    }

    /** Registers a gauge read at each scrape. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    /** Registers a gauge read at each scrape, one of several of {@code name} told apart by their {@code use} tag. */
    public void gauge(String name, String description, String use, Supplier<Number> value) {
        Gauge.builder(name, value).tag("use", use).description(description).register(registry);
    }

    /** Registers a counter kept elsewhere ({@code count}, read at each scrape), tagged {@code tag=value}. */
    public void counter(String name, String description, String tag, String value, Supplier<Number> count) {
        counted.add(count);
        FunctionCounter.builder(name, count, c -> c.get().doubleValue()).tag(tag, value).description(description)
                .register(registry);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
