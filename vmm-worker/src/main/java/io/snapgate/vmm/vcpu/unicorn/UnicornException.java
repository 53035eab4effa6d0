package io.snapgate.vmm.vcpu.unicorn;

/** A Unicorn call failed; the message names the call, its arguments and Unicorn's own words for the error. */
final class UnicornException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnicornException(String message) {
        super(message);
    }

    /** For example {@code uc_mem_map_ptr(slot heap @0x200000, ...): Invalid memory mapping (UC_ERR_MAP)}. */
    static String describe(String step, int err) {
        return step + ": " + UnicornLib.uc_strerror(err);
    }

    /** Throws unless {@code err} is UC_ERR_OK. Only for calls off the exit path: it is given a built string. */
    static void check(int err, String step) {
        if (err != UnicornConstants.UC_ERR_OK) {
            throw new UnicornException(describe(step, err));
        }
    }
}
