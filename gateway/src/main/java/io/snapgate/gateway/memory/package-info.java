/**
 * The node's memory budget: what guest activity may make the node hold (sandboxes of sessions and of the
 * workers' caches, guest builds, request bodies), accounted by reservation when it is taken and released when
 * it is let go, so that past the budget the node refuses work (503 OVERLOADED) before the kernel's OOM killer
 * picks the process.
 */
package io.snapgate.gateway.memory;
