/**
 * Stateful sessions: a sandbox pinned to one worker whose state is kept between calls, restored only on
 * request (or after a crash), ended on request or after an idle TTL, with a cap per node.
 */
package io.snapgate.gateway.session;
