/**
 * Bearer tokens and their scopes: authentication of the /v1 routes (REST and the WebSocket upgrade), the deploy
 * scope on routes that change snapshots, and the same grants for event-bus messages.
 */
package io.snapgate.gateway.auth;
