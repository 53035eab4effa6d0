package io.snapgate.gateway.worker;

/**
 * Which worker is a snapshot's home: the one its calls go to unless it is much busier than another (the digest's
 * hash over the workers), so that a node maps and translates each snapshot once rather than once per worker.
 */
record HomeWorkers(int workers) {
    int of(String digest) {
        return Math.floorMod(digest.hashCode(), workers);
    }
}
