/**
 * Snapshots to and from OCI registries over the Distribution spec: {@link io.snapgate.gateway.registry.RegistryPush}
 * and {@link io.snapgate.gateway.registry.RegistryPull}, on a small blocking client
 * ({@link io.snapgate.gateway.registry.RegistryClient}) with the spec's basic and bearer-token authentication and
 * credentials from a containers auth file ({@link io.snapgate.gateway.registry.RegistryCredentials}).
 */
package io.snapgate.gateway.registry;
