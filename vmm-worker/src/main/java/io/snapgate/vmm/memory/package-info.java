/**
 * Guest memory: the layout (docs/abi.md), the identity page tables, memory files (memfd or snapshot blobs)
 * and each sandbox's private copy-on-write mapping of one, with reset by dropping private pages.
 */
package io.snapgate.vmm.memory;
