/**
 * Metrics: one Prometheus registry per gateway that Vert.x (through vertx-micrometer-metrics) and snapgate
 * both report into, scraped at {@code GET /metrics}.
 */
package io.snapgate.gateway.metrics;
