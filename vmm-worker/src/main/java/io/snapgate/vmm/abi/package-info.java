/**
 * The call ABI between host and guest (docs/abi.md): value types and signatures, the control page, the exit
 * ports, and the MessagePack frames. Every frame read back from guest memory is bounds-checked and
 * parsed strictly here, so nothing above this package sees a guest's raw bytes.
 */
package io.snapgate.vmm.abi;
