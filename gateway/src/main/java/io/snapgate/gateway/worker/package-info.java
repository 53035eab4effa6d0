/**
 * Workers: each a verticle on a worker pool of one OS thread that owns the vCPUs of its sandboxes. A worker
 * keeps a small LRU of stateless sandboxes per snapshot digest (restored after every call, replaced when a
 * restore fails) and the sandboxes of the sessions pinned to it. {@link io.snapgate.gateway.worker.WorkerPool}
 * admits jobs through the node's bounded queue and picks the worker.
 */
package io.snapgate.gateway.worker;
