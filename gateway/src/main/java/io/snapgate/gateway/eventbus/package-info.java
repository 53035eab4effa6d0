/** The event-bus front: address {@code snapgate.call}, same JSON as the REST call, failures as ReplyExceptions. */
package io.snapgate.gateway.eventbus;
