/** Parsing and checking statically linked x86-64 guest executables (ELF64), treating every byte as hostile. */
package io.snapgate.vmm.elf;
