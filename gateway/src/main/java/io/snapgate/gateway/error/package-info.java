/**
 * Client-facing errors: {@link io.snapgate.gateway.error.GatewayException} (the client module's
 * {@link io.snapgate.client.ErrorCode} and message, plus a Retry-After), and {@link io.snapgate.gateway.error.Errors},
 * the single mapping from sandbox failures, store problems and HTTP statuses to those codes.
 */
package io.snapgate.gateway.error;
