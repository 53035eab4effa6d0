/**
 * The {@code snapgate} command (picocli): {@code serve}, {@code build}, {@code call}, {@code ls}, {@code gc}
 * and {@code demo}, with configuration flags generated from {@link io.snapgate.gateway.config.ConfigKey}.
 */
package io.snapgate.gateway.cli;
