/**
 * The emulated vCPU backend on Unicorn 2 (software x86-64). The C API is bound with JNA direct mapping,
 * pointers as {@code long}s, because interface mapping costs 3-4x more per call and a guest exit is a handful
 * of calls. Exits are the ABI's {@code out dx, eax; hlt}: {@code hlt} returns from {@code uc_emu_start}
 * resumably, and reading DX and EAX afterwards is cheaper than any hook, so JNA callbacks run only on faults.
 * Engines are pooled because a new engine's first use costs milliseconds; a pooled one comes back unmapped,
 * with no translated code of its last guest and pristine registers. Stops are {@code uc_emu_stop}, which is
 * lost when no run is in progress (so whoever stops a guest repeats the request until the call is over) and
 * can leave a block half-run (so a stopped call is ended, not resumed): see {@link UnicornVcpu}.
 */
package io.snapgate.vmm.vcpu.unicorn;
