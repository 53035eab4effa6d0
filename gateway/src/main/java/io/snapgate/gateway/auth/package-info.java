/** Bearer-token authentication for the /v1 routes (REST and the WebSocket upgrade). */
package io.snapgate.gateway.auth;
