/** The test harness: a real gateway in process on a free port with a temporary store, and answer assertions. */
package io.snapgate.gateway.testing;
