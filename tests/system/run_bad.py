#!/usr/bin/env python3
"""run_bad.py - malformed command lines and kernels must fail cleanly.

usage: run_bad.py EMULATOR GOOD_KERNEL WORKDIR

For each case: a non-zero exit status (2, the usage/input status), no
signal (no crash), exactly one line on stderr that names the culprit.
Broken kernels are made here from a good one: truncated, ELF64 class,
wrong machine, not executable, no Multiboot header, bad checksum, a
segment outside RAM, a segment over the ROM.
"""
import os
import struct
import subprocess
import sys


def patch(data, off, fmt, *vals):
    b = bytearray(data)
    struct.pack_into(fmt, b, off, *vals)
    return bytes(b)


def phdr_off(data):
    e_phoff, = struct.unpack_from('<I', data, 28)
    return e_phoff


def main():
    emu, good, work = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(work, exist_ok=True)
    with open(good, 'rb') as f:
        elf = f.read()
    mb = elf.find(struct.pack('<I', 0x1BADB002))
    ph = phdr_off(elf)
    kernels = {
        'notelf': (b'hello, not an ELF file\n' * 10, 'not an ELF'),
        'trunc-header': (elf[:30], 'truncated ELF header'),
        'trunc-segment': (elf[:0x1100], 'truncated segment'),
        'class64': (patch(elf, 4, 'B', 2), 'not a 32-bit ELF'),
        'machine': (patch(elf, 18, '<H', 62), 'wrong machine'),
        'notexec': (patch(elf, 16, '<H', 3), 'not an executable'),
        'nomb': (patch(elf, mb, '<I', 0x12345678), 'no Multiboot header'),
        'checksum': (patch(elf, mb + 8, '<I', 0), 'bad Multiboot header checksum'),
        'outside-ram': (patch(elf, ph + 12, '<I', 0x40000000), 'outside RAM'),
        'over-rom': (patch(elf, ph + 12, '<I', 0xF8000), 'over the boot ROM'),
        'in-hole': (patch(elf, ph + 12, '<I', 0xB0000), 'legacy hole'),
    }
    cases = []
    for name, (data, msg) in kernels.items():
        path = os.path.join(work, name + '.elf')
        with open(path, 'wb') as f:
            f.write(data)
        cases.append((['-kernel', path, '-m', '32'], msg))
    missing = os.path.join(work, 'does-not-exist.elf')
    cases += [
        (['-m', '12Q'], "-m: invalid size '12Q'"),
        (['-m', '1M'], '-m:'),
        (['-m', '4G'], '-m:'),
        (['-cpu', 'z80'], '-cpu'),
        (['-kernel'], 'missing argument'),
        (['-kernel', missing], missing),
        (['-bios', missing], missing),
        (['-bios', good], '-bios'),          # not 64 or 128 KiB
        (['-initrd', missing, '-kernel', good], missing),
        (['--max-insns', 'ten'], '--max-insns'),
        (['--timeout', '-1'], '--timeout'),
        (['-serial', 'tcp:1234'], '-serial'),
        (['-device', 'e1000'], '-device'),
        (['-device', 'isa-debugcon,iobase=0xe9,chardev=nope'], 'nope'),
        (['-d', 'bogus'], 'bogus'),
        (['--bogus'], '--bogus'),
        (['-S'], '-monitor'),
        (['--screenshot', 'x.png', '-display', 'none'], '--screenshot'),
        (['--tlb', 'ways=banana', '-kernel', good], '--tlb'),
        ([good], 'bundled kernel'),
    ]
    failed = 0
    for args, want in cases:
        p = subprocess.run([emu] + args, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=60)
        err = p.stderr.decode(errors='replace')
        lines = err.splitlines()
        problems = []
        if p.returncode != 2:
            problems.append(f'status {p.returncode}, expected 2')
        if len(lines) != 1:
            problems.append(f'{len(lines)} stderr lines, expected 1')
        if want not in err:
            problems.append(f'stderr lacks {want!r}')
        if lines and not lines[0].startswith('mmulab: '):
            problems.append('line does not start with "mmulab: "')
        print(('FAIL ' if problems else 'ok   ') + ' '.join(args) + ' -> ' + err.strip())
        for pr in problems:
            print('     ' + pr)
        failed += bool(problems)
    print(f'{len(cases) - failed}/{len(cases)} cases passed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
