package io.snapgate.gateway.config;

/** One raw setting and where it came from ({@code --port}, {@code SNAPGATE_PORT}, {@code config.json}). */
public record Setting(String value, String origin) {
}
