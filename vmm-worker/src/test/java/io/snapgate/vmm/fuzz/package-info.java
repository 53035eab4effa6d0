/**
 * A fuzzer for the emulated vCPU: random and structure-aware x86-64 programs run in emulator processes under the
 * real memory layout, native crashes told apart by where the process died (the JVM's error report), one minimal
 * reproducer kept per crash. {@link io.snapgate.vmm.fuzz.EmulatorFuzzTest} is the short run in the test suite;
 * {@link io.snapgate.vmm.fuzz.FuzzMain} the long one (BENCHMARKS.md, "Fuzzing the emulated vCPU").
 */
package io.snapgate.vmm.fuzz;
