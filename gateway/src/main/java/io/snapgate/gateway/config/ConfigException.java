package io.snapgate.gateway.config;

/** A setting or config file the gateway refuses; the message names the setting, where it came from and why. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
