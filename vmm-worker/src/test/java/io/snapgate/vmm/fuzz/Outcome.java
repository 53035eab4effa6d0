package io.snapgate.vmm.fuzz;

/** How one program's run ended. */
sealed interface Outcome {

    /** The emulator process survived: {@code how} the run ended (done, deadline, a fault, ...). */
    record Ended(String how) implements Outcome {
    }

    /**
     * The emulator process died. {@code signature} says where (from its error report; {@link #NO_REPORT} and the
     * exit when it left none), {@code stage} when (the run, or setting up or tearing down around it).
     */
    record Crashed(String signature, String stage, CrashReport report) implements Outcome {
        static final String NO_REPORT = "no error report";
    }

    /**
     * The emulator process did not answer in time (a run past its deadline and the stop grace, or other work past
     * the request limit) and was killed; {@code stage} says in what.
     */
    record Hung(String reason, String stage) implements Outcome {
    }
}
