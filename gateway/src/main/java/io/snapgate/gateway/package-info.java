/**
 * The snapgate application: {@link io.snapgate.gateway.Main} (the {@code snapgate} command) and
 * {@link io.snapgate.gateway.Gateway} (one node: HTTP, WebSocket and event-bus fronts over worker verticles
 * that each own a vCPU thread). Subpackages hold one concept each.
 */
package io.snapgate.gateway;
