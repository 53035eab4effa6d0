/**
 * The WebSocket front at /v1/ws: JSON call frames, many in flight per connection up to a cap, answered in
 * completion order through the same dispatcher as REST.
 */
package io.snapgate.gateway.ws;
