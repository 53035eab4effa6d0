#!/bin/sh
# Fails if a guest ELF breaks what the host relies on: every PT_LOAD page
# aligned, no segment both writable and executable, the entry inside an
# executable segment, no AVX (VEX-encoded: v-prefixed, ymm/zmm) instruction,
# no system call and no halt outside the SDK's exits.
set -eu
elf=$1

readelf -lhW "$elf" | awk -v elf="$elf" '
    function hex(s,    i, v) {
        v = 0
        for (i = 3; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", tolower(substr(s, i, 1))) - 1
        return v
    }
    /Entry point address:/ { entry = hex($4) }
    $1 == "LOAD" {
        flags = ""
        for (i = 7; i < NF; i++) flags = flags $i
        if (hex($2) % 4096 != 0 || hex($3) % 4096 != 0) { print elf ": segment at " $3 " is not page aligned"; bad = 1 }
        if (flags ~ /W/ && flags ~ /E/) { print elf ": segment at " $3 " is writable and executable"; bad = 1 }
        if (flags ~ /E/ && entry >= hex($3) && entry < hex($3) + hex($6)) entry_ok = 1
    }
    END {
        if (!entry_ok) { print elf ": the entry point is not in an executable segment"; bad = 1 }
        exit bad
    }' >&2

code=$(objdump -d --no-show-raw-insn "$elf")

# v-mnemonics that are not VEX: the VMX/SVM and segment-verify instructions (a hostile guest tries them).
not_vex='^(vmcall|vmmcall|vmlaunch|vmresume|vmread|vmwrite|vmxon|vmxoff|vmptrld|vmptrst|vmclear|vmfunc'
not_vex="$not_vex|vmrun|vmload|vmsave|verr|verw)"
if echo "$code" | awk -F '\t' -v not_vex="$not_vex" '
        NF >= 2 && (($2 ~ /^v/ && $2 !~ not_vex) || $2 ~ /%[yz]mm/) { found = 1; print }
        END { exit !found }' >&2; then
    echo "$elf: contains AVX instructions" >&2
    exit 1
fi

# A guest has no OS: a system call would fault, and a halt is an exit to the host, so only the SDK's
# exits (entry.S) may halt. Lists the functions that do either: libc functions that need an OS, which
# sdk/libc does not replace, or musl's crash on a broken invariant. The hostile test guest does both on
# purpose (SG_ALLOW_SYSTEM_INSTRUCTIONS=1, set by guests/Makefile for it alone).
[ "${SG_ALLOW_SYSTEM_INSTRUCTIONS:-}" = 1 ] || echo "$code" | awk -F '\t' -v elf="$elf" '
    /^[0-9a-f]+ <.*>:$/ { fn = substr($0, index($0, "<") + 1); sub(/>:$/, "", fn) }
    NF >= 2 && $2 ~ /^(syscall|sysenter|int +\$0x80)/ && !(fn in sys) { sys[fn]; syscalls = syscalls " " fn }
    NF >= 2 && $2 ~ /^hlt/ && fn != "exit_done" && fn != "sg_exit" && !(fn in halt) { halt[fn]; halts = halts " " fn }
    END {
        if (syscalls != "")
            print elf ": these functions make system calls, which need an OS a guest does not have:" syscalls
        if (halts != "")
            print elf ": these functions halt the vCPU outside the SDK'"'"'s exits:" halts
        exit syscalls != "" || halts != ""
    }' >&2
