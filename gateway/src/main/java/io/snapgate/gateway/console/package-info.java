/**
 * The web console: static HTML, CSS and JavaScript modules served from the jar at {@code /console/}, which drive
 * the same REST routes as any client (the browser sends the bearer token; the assets themselves hold nothing
 * secret and are open, as {@code /health} is).
 */
package io.snapgate.gateway.console;
