/**
 * The guest SDK outside this repository: {@link io.snapgate.gateway.guest.GuestSdk} writes the SDK the jar
 * carries (headers, runtime, C library glue, linker script, checks, build rules) into a folder, and
 * {@link io.snapgate.gateway.guest.GuestBuild} builds a guest ELF from C sources with it (gcc, make, musl-dev).
 */
package io.snapgate.gateway.guest;
