package io.snapgate.gateway.worker;

/** Work for one worker, run on its thread with its state. */
@FunctionalInterface
public interface WorkerJob<T> {
    T run(WorkerState state);
}
