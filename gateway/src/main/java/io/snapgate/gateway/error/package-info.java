/**
 * Client-facing errors: {@link io.snapgate.gateway.error.ErrorCode} (code and HTTP status),
 * {@link io.snapgate.gateway.error.GatewayException}, and {@link io.snapgate.gateway.error.Errors}, the single
 * mapping from sandbox failures, store problems and HTTP statuses to those codes.
 */
package io.snapgate.gateway.error;
