package io.snapgate.vmm.vcpu;

import java.io.ByteArrayOutputStream;

/** Hand-assembled x86-64 for test guests, one method per instruction (encodings checked with GNU as). */
public final class MachineCode {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    /** {@code mov dx, port; mov eax, value; out dx, eax; hlt}: the ABI's exit. */
    public MachineCode exit(int port, int value) {
        return movDx(port).movEax(value).outHlt();
    }

    /** {@code mov dx, port; out dx, eax; hlt}: exits with whatever EAX holds. */
    public MachineCode exitWithEax(int port) {
        return movDx(port).outHlt();
    }

    public MachineCode outHlt() {
        return emit(0xEF, 0xF4);
    }

    public MachineCode hlt() {
        return emit(0xF4);
    }

    /** {@code in al, dx}. */
    public MachineCode inAlDx() {
        return emit(0xEC);
    }

    /** {@code lidt [address]}: loads IDTR from the 10 bytes (limit, base) at an absolute 32-bit address. */
    public MachineCode lidt(int address) {
        return emit(0x0F, 0x01, 0x1C, 0x25).imm32(address);
    }

    public MachineCode movDx(int imm16) {
        return emit(0x66, 0xBA).imm16(imm16);
    }

    public MachineCode movEdx(int imm32) {
        return emit(0xBA).imm32(imm32);
    }

    public MachineCode movEax(int imm32) {
        return emit(0xB8).imm32(imm32);
    }

    /** {@code movabs rbx, imm64}. */
    public MachineCode movRbx(long imm64) {
        return emit(0x48, 0xBB).imm32((int) imm64).imm32((int) (imm64 >>> 32));
    }

    public MachineCode movEaxEbx() {
        return emit(0x89, 0xD8);
    }

    public MachineCode movEaxEdi() {
        return emit(0x89, 0xF8);
    }

    public MachineCode movEaxEsp() {
        return emit(0x89, 0xE0);
    }

    public MachineCode shrRbx32() {
        return emit(0x48, 0xC1, 0xEB, 0x20);
    }

    /** {@code pushfq; pop rax}. */
    public MachineCode raxFromRflags() {
        return emit(0x9C, 0x58);
    }

    /** {@code mov rax, [address]}, an absolute 32-bit address. */
    public MachineCode loadRax(int address) {
        return emit(0x48, 0x8B, 0x04, 0x25).imm32(address);
    }

    /** {@code mov byte ptr [address], value}. */
    public MachineCode storeByte(int address, int value) {
        return emit(0xC6, 0x04, 0x25).imm32(address).emit(value);
    }

    /** {@code mov eax, address; jmp rax}. */
    public MachineCode jumpTo(int address) {
        return movEax(address).emit(0xFF, 0xE0);
    }

    public MachineCode ud2() {
        return emit(0x0F, 0x0B);
    }

    /** {@code xor ecx, ecx; div ecx}; the {@code div} is 2 bytes into the sequence. */
    public MachineCode divideByZero() {
        return emit(0x31, 0xC9, 0xF7, 0xF1);
    }

    /** {@code jmp $}. */
    public MachineCode spin() {
        return emit(0xEB, 0xFE);
    }

    /** {@code jmp rel8} back to {@code offset} bytes from the start of this code. */
    public MachineCode jumpBackTo(int offset) {
        int rel = offset - (bytes.size() + 2);
        if (rel < -128) {
            throw new IllegalArgumentException("jump too far for rel8");
        }
        return emit(0xEB, rel & 0xFF);
    }

    /** {@code movsd xmm0, [address]}. */
    public MachineCode loadXmm0(int address) {
        return emit(0xF2, 0x0F, 0x10, 0x04, 0x25).imm32(address);
    }

    /** {@code movdqu xmm0, [address]}: a 16-byte read, which KVM splits into 8-byte pieces when it is MMIO. */
    public MachineCode load16BytesIntoXmm0(int address) {
        return emit(0xF3, 0x0F, 0x6F, 0x04, 0x25).imm32(address);
    }

    /** {@code mov ecx, edi; wrmsr}: writes EDX:EAX to the MSR the entry state put in RDI. */
    public MachineCode wrmsrAtEdi() {
        return emit(0x89, 0xF9, 0x0F, 0x30);
    }

    /** {@code mov ecx, edi; rdmsr}. */
    public MachineCode rdmsrAtEdi() {
        return emit(0x89, 0xF9, 0x0F, 0x32);
    }

    /** {@code addsd xmm0, xmm0}. */
    public MachineCode doubleXmm0() {
        return emit(0xF2, 0x0F, 0x58, 0xC0);
    }

    /** {@code movaps [address], xmm0}: faults unless the address is 16-byte aligned. */
    public MachineCode storeXmm0Aligned(int address) {
        return emit(0x0F, 0x29, 0x04, 0x25).imm32(address);
    }

    /** {@code cvtsd2si eax, xmm0}: rounds as MXCSR says. */
    public MachineCode eaxFromXmm0() {
        return emit(0xF2, 0x0F, 0x2D, 0xC0);
    }

    public byte[] toBytes() {
        return bytes.toByteArray();
    }

    private MachineCode imm16(int value) {
        return emit(value & 0xFF, (value >>> 8) & 0xFF);
    }

    private MachineCode imm32(int value) {
        return emit(value & 0xFF, (value >>> 8) & 0xFF, (value >>> 16) & 0xFF, (value >>> 24) & 0xFF);
    }

    private MachineCode emit(int... values) {
        for (int value : values) {
            bytes.write(value);
        }
        return this;
    }
}
