package io.snapgate.vmm.vcpu.process;

/** Names of the signals that end a crashed process, for messages. */
final class Signals {
    private Signals() {
    }

    static String name(int signal) {
        return switch (signal) {
            case 4 -> "SIGILL";
            case 6 -> "SIGABRT";
            case 7 -> "SIGBUS";
            case 8 -> "SIGFPE";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 15 -> "SIGTERM";
            default -> "number " + signal;
        };
    }
}
