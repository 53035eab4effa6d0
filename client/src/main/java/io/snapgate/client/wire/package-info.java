/**
 * The event-bus protocol between snapgate's gateways and their clients: {@link io.snapgate.client.wire.Addresses},
 * the request {@link io.snapgate.client.wire.Messages} and the {@link io.snapgate.client.wire.Failures} format.
 * One definition, used by the typed client and by the gateway; documented in docs/api.md for consumers in any
 * language.
 */
package io.snapgate.client.wire;
