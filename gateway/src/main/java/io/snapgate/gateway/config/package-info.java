/**
 * The gateway's configuration: the {@link io.snapgate.gateway.config.GatewayConfig} record, the keys it is
 * read from, and the config-file reader. Flags override environment variables, which override a config file,
 * which overrides the defaults; unknown config-file keys are refused. Runtime classes take the record only.
 */
package io.snapgate.gateway.config;
