#!/bin/sh
# regen.sh - regenerate the golden outputs qemu0.out .. qemu3.out by running
# the test ROMs on qemu-system-i386 (7.2 was used). Run from this folder.
set -e
tmp=$(mktemp -d)
python3 gen_rom.py "$tmp"
for i in 0 1 2 3; do
	gcc -m32 -c -x assembler "$tmp/rom$i.s" -o "$tmp/rom$i.o"
	objcopy -O binary -j .text "$tmp/rom$i.o" "$tmp/rom$i.bin"
	qemu-system-i386 -bios "$tmp/rom$i.bin" -display none -nodefaults -no-reboot \
		-debugcon "file:qemu$i.out" -device isa-debug-exit,iobase=0xf4,iosize=0x04 || true
done
rm -rf "$tmp"
