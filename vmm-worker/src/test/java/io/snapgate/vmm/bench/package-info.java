/**
 * JMH benchmarks of the VMM core: sandbox creation, guest calls, restores, cancellation, and a same-run
 * baseline of raw costs on the machine. Run them with {@code scripts/bench.sh}; BENCHMARKS.md holds the figures.
 */
package io.snapgate.vmm.bench;
