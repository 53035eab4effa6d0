/**
 * The node's operations beyond a stateless call, as every front (REST, event bus) offers them: session requests,
 * forwarded in a cluster to the node that owns the session, and snapshot queries.
 */
package io.snapgate.gateway.front;
