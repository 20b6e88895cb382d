# sdk.mk - build rules for your own mmulab user program, outside meson.
#
# Include this from a Makefile after setting PROG (the program name) and
# SRCS (its C files); see example/Makefile.  It builds the user libc from
# guest/libc into $(BUILD)/libc.a, then links $(BUILD)/$(PROG) as a static
# i386 ELF at 0x08048000 with crt0.o and user.ld.  The result runs on the
# bundled kernel (mmulab prog.elf) and, since it uses only the Linux i386
# system-call ABI, natively on any x86 Linux host.

SDK_DIR  := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
LIBC_DIR := $(SDK_DIR)/../libc
BUILD    ?= build
# make's built-in default CC is "cc"; we want gcc (for -m32 multilib)
# unless the user names a compiler.
ifeq ($(origin CC),default)
CC       := gcc
endif
AR       ?= ar

GCC_INC  := $(shell $(CC) -m32 -print-file-name=include)

SDK_CFLAGS := -m32 -march=i386 -mno-sse -mno-mmx -mno-80387 \
	-ffreestanding -fno-pic -fno-pie -fno-stack-protector -fno-builtin \
	-fno-strict-aliasing -fno-tree-loop-distribute-patterns \
	-fno-delete-null-pointer-checks \
	-fno-asynchronous-unwind-tables -fcf-protection=none \
	-nostdinc -isystem $(GCC_INC) -I$(SDK_DIR)/include -I$(SDK_DIR)/../include/uapi \
	-std=gnu11 -O2 -g -Wall -Wextra
SDK_LDFLAGS := -m32 -static -nostdlib -no-pie -Wl,--build-id=none \
	-Wl,-z,noexecstack -Wl,-z,max-page-size=4096 -T $(SDK_DIR)/user.ld

LIBC_SRCS := syscall.S start.c errno.c unistd.c mman.c signal.c malloc.c \
	printf.c stdio.c stdlib.c ctype.c string_extra.c assert.c dirent.c string.c divdi3.c
LIBC_OBJS := $(addprefix $(BUILD)/libc/,$(addsuffix .o,$(basename $(LIBC_SRCS))))
PROG_OBJS := $(addprefix $(BUILD)/,$(SRCS:.c=.o))

all: $(BUILD)/$(PROG)

$(BUILD)/$(PROG): $(BUILD)/crt0.o $(PROG_OBJS) $(BUILD)/libc.a $(SDK_DIR)/user.ld
	$(CC) $(SDK_CFLAGS) $(SDK_LDFLAGS) -o $@ $(BUILD)/crt0.o $(PROG_OBJS) $(BUILD)/libc.a

$(BUILD)/libc.a: $(LIBC_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/crt0.o: $(LIBC_DIR)/crt0.S
	@mkdir -p $(dir $@)
	$(CC) $(SDK_CFLAGS) -c -o $@ $<

# string.c is shared with the kernel and includes the kernel's <linux/string.h>.
$(BUILD)/libc/string.o: $(LIBC_DIR)/string.c
	@mkdir -p $(dir $@)
	$(CC) $(SDK_CFLAGS) -I$(SDK_DIR)/../include -c -o $@ $<

$(BUILD)/libc/%.o: $(LIBC_DIR)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SDK_CFLAGS) -c -o $@ $<

$(BUILD)/libc/%.o: $(LIBC_DIR)/%.S
	@mkdir -p $(dir $@)
	$(CC) $(SDK_CFLAGS) -c -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(SDK_CFLAGS) -c -o $@ $<

clean:
	rm -rf $(BUILD)

.PHONY: all clean
