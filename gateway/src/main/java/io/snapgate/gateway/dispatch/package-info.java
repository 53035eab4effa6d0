/**
 * The call path between the transports and the workers: parsing call requests strictly, coercing JSON
 * arguments to the function's declared types before any guest runs, deadlines, and encoding results.
 */
package io.snapgate.gateway.dispatch;
