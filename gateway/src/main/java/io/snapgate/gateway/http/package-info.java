/**
 * The REST front under /v1 (plus /health and /metrics): event-loop verticles with a Vert.x Web router whose
 * routes hand calls to the dispatcher and session manager, and one failure handler for every error.
 */
package io.snapgate.gateway.http;
