# How a snapgate guest is built: C sources compiled against musl's headers and the SDK, linked with the
# SDK's runtime, its C library glue and musl's libc.a, and checked. guests/Makefile includes this file; on
# its own it builds one guest, from any folder (`snapgate guest build` runs it so):
#
#     make -f <sdk>/guest.mk ELF=shout.elf SOURCES="shout.c more.c" [BUILD=objects-folder] [V=1]
#
# The SDK's own objects go to $(SDK_BUILD) (default $(BUILD)/sdk), which `make -f guest.mk sdk-objects`
# fills alone, so that many guests can share them.

SG_SDK := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
CC := gcc
BUILD ?= build
SDK_BUILD ?= $(BUILD)/sdk
Q := $(if $(V),,@)

# musl from Debian's musl-dev: its headers and static libc.a.
MUSL_LIB := /usr/lib/x86_64-linux-musl
MUSL_INCLUDE := /usr/include/x86_64-linux-musl
ifeq ($(wildcard $(MUSL_LIB)/libc.a),)
$(error musl is missing ($(MUSL_LIB)/libc.a): install it with apt-get install musl-dev)
endif
LIBS := $(MUSL_LIB)/libc.a $(shell $(CC) -print-libgcc-file-name)

# Baseline x86-64 with SSE and no AVX (the host exposes no AVX); no OS. Link-time optimisation
# inlines the runtime's small functions across files: fewer calls and stack spills, and every guest store
# is slow on the emulated vCPU (a no-op call went from 82 stores to 54). musl's headers come first, then
# gcc's own (intrinsics, stdatomic.h), never the host's glibc.
# Warnings stop this repository's build (its Makefile adds -Werror), not a build elsewhere, whose gcc may
# warn about other things.
WARNINGS ?= -Wall -Wextra
CFLAGS := -O2 -flto -march=x86-64 -mno-avx -mno-avx2 -mno-red-zone -fno-pic -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fcf-protection=none -ffunction-sections -fdata-sections \
	$(WARNINGS) -MMD -MP \
	-nostdinc -isystem $(MUSL_INCLUDE) -isystem $(shell $(CC) -print-file-name=include) -I$(SG_SDK)/include
# Sources are compiled under their absolute paths; __FILE__ (assert's message) says them relative to the
# folder make runs in.
CFLAGS += -ffile-prefix-map=$(CURDIR)/=
# Guests and the libc glue are hosted C; the runtime stays freestanding, so gcc never turns its string
# functions' loops back into calls to themselves.
DIALECT := -std=gnu11
LDFLAGS := -O2 -flto -ffunction-sections -fdata-sections -nostdlib -static -no-pie -T $(SG_SDK)/guest.ld \
	-Wl,--build-id=none -Wl,-z,noexecstack -Wl,-z,max-page-size=4096 -Wl,--orphan-handling=error \
	-Wl,--gc-sections

SG_RUNTIME_OBJ := $(patsubst $(SG_SDK)/%,$(SDK_BUILD)/%.o,$(basename $(wildcard $(SG_SDK)/runtime/*.[cS])))
SG_LIBC_OBJ := $(patsubst $(SG_SDK)/%.c,$(SDK_BUILD)/%.o,$(wildcard $(SG_SDK)/libc/*.c))
SG_OBJ := $(SG_RUNTIME_OBJ) $(SG_LIBC_OBJ)

$(SG_RUNTIME_OBJ): DIALECT := -std=c11 -ffreestanding
# Not link-time optimised: gcc leaves calls to library functions (printf, memcpy...) out of an LTO
# object's symbol table, so the libc.a members they need are linked after LTO has run, and they need
# the glue's definitions (__stdio_write, __lockfile...) to still be there.
$(SG_LIBC_OBJ): DIALECT := -std=gnu11 -fno-lto

# A guest's objects sit under their source's absolute path, so sources may come from any folder.
sg_objects = $(patsubst %.c,$(BUILD)/guest%.o,$(abspath $(1)))

$(SDK_BUILD)/%.o: $(SG_SDK)/%.c $(SG_SDK)/guest.mk
	@mkdir -p $(@D)
	@echo "  CC    sdk/$*.c"
	$(Q)$(CC) $(CFLAGS) $(DIALECT) -c -o $@ $<

$(SDK_BUILD)/%.o: $(SG_SDK)/%.S $(SG_SDK)/guest.mk
	@mkdir -p $(@D)
	@echo "  AS    sdk/$*.S"
	$(Q)$(CC) $(CFLAGS) $(DIALECT) -c -o $@ $<

$(BUILD)/guest/%.o: /%.c $(SG_SDK)/guest.mk
	@mkdir -p $(@D)
	@echo "  CC    $(notdir $<)"
	$(Q)$(CC) $(CFLAGS) $(DIALECT) -c -o $@ $<

# The recipe of a guest ELF whose prerequisites are its objects and $(SG_OBJ): the SDK's objects come
# before libc.a, so their definitions replace musl's. A guest that fails check-elf.sh is deleted.
define sg_link
	@mkdir -p $(@D)
	@echo "  LD    $(notdir $@)"
	$(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) -Wl,--start-group $(LIBS) -Wl,--end-group
	$(Q)sh $(SG_SDK)/check-elf.sh $@ || { rm -f $@; exit 1; }
endef

-include $(SG_OBJ:.o=.d)

ifdef ELF
.DEFAULT_GOAL := $(ELF)
$(ELF): $(call sg_objects,$(SOURCES)) $(SG_OBJ) $(SG_SDK)/guest.ld $(SG_SDK)/check-elf.sh
	$(sg_link)

-include $(patsubst %.o,%.d,$(call sg_objects,$(SOURCES)))
endif

sdk-objects: $(SG_OBJ)

.PHONY: sdk-objects
.SECONDARY:
