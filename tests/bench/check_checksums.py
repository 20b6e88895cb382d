#!/usr/bin/env python3
"""check_checksums.py - each benchmark workload prints the checksum QEMU did.

usage: check_checksums.py [--guest-kernel KERNEL_ELF] GOLDEN BENCH_ELF -- EMULATOR [ARGS...]
       check_checksums.py --regenerate [--guest-kernel KERNEL_ELF] GOLDEN BENCH_ELF
                          -- qemu-system-i386 [ARGS...]

For every "bench=NAME n=N checksum=0x..." line of GOLDEN, boots BENCH_ELF
on EMULATOR with -append "bench=NAME n=N" (QEMU's command-line spelling,
which mmulab shares) and checks that the run ends through isa-debug-exit
with code 0 (status 1) and prints that very line. The workloads of the
bundled kernel (GUEST_WORKLOADS: memhog) boot KERNEL_ELF instead, with the
command line and RAM size bench/run.py uses; without --guest-kernel their
lines are skipped. --regenerate rewrites the lines from the emulator's
output instead (use QEMU, the reference). A missing emulator is a skipped
test (status 77).
"""
import re
import shutil
import subprocess
import sys

LINE_RE = re.compile(r'^bench=(\w+) n=(\d+) checksum=0x[0-9a-f]{8}$')

# Workloads of the bundled kernel: name -> (guest RAM in MiB, command line
# for n rounds), as in bench/run.py's GUEST_WORKLOADS.
GUEST_WORKLOADS = {
    'memhog': (32, 'quiet init=/bin/memhog -r {n}'),
}


def run(emulator, elf, guest_kernel, name, n):
    if name in GUEST_WORKLOADS:
        mem, append = GUEST_WORKLOADS[name]
        elf, append = guest_kernel, append.format(n=n)
    else:
        mem, append = 128, f'bench={name} n={n}'
    cmd = emulator + ['-kernel', elf, '-append', append, '-display', 'none',
                      '-serial', 'stdio', '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
                      '-m', str(mem)]
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode(errors='replace'), p.stderr.decode(errors='replace')


def main(argv):
    regenerate = argv[:1] == ['--regenerate']
    if regenerate:
        argv = argv[1:]
    guest_kernel = None
    if argv[:1] == ['--guest-kernel'] and len(argv) > 1:
        guest_kernel, argv = argv[1], argv[2:]
    if len(argv) < 4 or argv[2] != '--':
        print(__doc__, file=sys.stderr)
        return 2
    golden, elf, emulator = argv[0], argv[1], argv[3:]
    if shutil.which(emulator[0]) is None:
        print(f'{emulator[0]} not installed: skipped')
        return 77
    with open(golden) as f:
        lines = f.read().splitlines()
    failures = 0
    out_lines = []
    for line in lines:
        m = LINE_RE.match(line)
        if not m:
            out_lines.append(line)
            continue
        name, n = m.group(1), m.group(2)
        if name in GUEST_WORKLOADS and guest_kernel is None:
            print(f'skip {line} (no --guest-kernel)')
            out_lines.append(line)
            continue
        status, out, err = run(emulator, elf, guest_kernel, name, n)
        got = [ln for ln in out.splitlines() if ln.startswith('bench=')]
        if regenerate:
            if status != 1 or len(got) != 1:
                print(f'{name}: status {status}, output {out!r}', file=sys.stderr)
                return 1
            out_lines.append(got[0])
            continue
        if status != 1 or got != [line]:
            failures += 1
            print(f'FAIL {name} n={n}: status {status} (want 1), printed {got}, want {line!r}')
            sys.stderr.write(err[-2000:])
        else:
            print(f'ok   {line}')
    if regenerate:
        with open(golden, 'w') as f:
            f.write('\n'.join(out_lines) + '\n')
        return 0
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
