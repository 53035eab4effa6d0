/**
 * The {@code snapgate} command (picocli): {@code serve}, {@code build}, {@code call}, {@code ls}, {@code gc},
 * {@code demo} and {@code guest} (new, build, sdk), with configuration flags generated from
 * {@link io.snapgate.gateway.config.ConfigKey}.
 */
package io.snapgate.gateway.cli;
