/**
 * The vCPU SPI: a {@link io.snapgate.vmm.vcpu.VcpuBackend} makes {@link io.snapgate.vmm.vcpu.Vcpu}s that run
 * guest code over {@link io.snapgate.vmm.vcpu.MemorySlot}s and report {@link io.snapgate.vmm.vcpu.VmExit}s,
 * a vocabulary no backend owns. Backends live in sibling packages: {@code unicorn} (emulated) and {@code kvm}.
 */
package io.snapgate.vmm.vcpu;
