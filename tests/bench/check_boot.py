#!/usr/bin/env python3
"""check_boot.py - the command line of bench/run.py's "boot" workload works.

usage: check_boot.py KERNEL_ELF -- EMULATOR [ARGS...]

Boots the bundled kernel with "init_exit_checks=off init=/bin/echo" (the
boot-time measurement: a first user program that exits at once) and checks
that the run ends through isa-debug-exit with code 0 (status 1), that init
really ran and exited ("init exited with status 0: power off" is the last
line), and that the after-init checks were skipped (no "mm: all user memory
returned" line, which the same boot without the option prints). A missing
emulator is a skipped test (status 77).
"""
import shutil
import subprocess
import sys

BOOT_APPEND = 'init_exit_checks=off init=/bin/echo'


def run(emulator, kernel, append):
    cmd = emulator + ['-kernel', kernel, '-append', append, '-display', 'none',
                      '-serial', 'stdio', '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
                      '-m', '128']
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=240)
    return p.returncode, p.stdout.decode(errors='replace')


def main(argv):
    if len(argv) < 3 or argv[1] != '--':
        print(__doc__, file=sys.stderr)
        return 2
    kernel, emulator = argv[0], argv[2:]
    if shutil.which(emulator[0]) is None:
        print(f'{emulator[0]} not installed: skipped')
        return 77
    failures = 0
    for append, checks_run in ((BOOT_APPEND, False), ('init=/bin/echo', True)):
        status, out = run(emulator, kernel, append)
        lines = [ln.rstrip('\r') for ln in out.splitlines()]
        problems = []
        if status != 1:
            problems.append(f'status {status}, want 1')
        if not lines or lines[-1] != 'init exited with status 0: power off':
            problems.append(f'last line {lines[-1:]!r}, want init\'s exit')
        returned = any(ln.startswith('mm: all user memory returned') for ln in lines)
        if returned != checks_run:
            problems.append('after-init checks ' + ('skipped' if checks_run else 'ran'))
        if problems:
            failures += 1
            print(f'FAIL -append "{append}": ' + '; '.join(problems))
            sys.stdout.write(out[-2000:])
        else:
            print(f'ok   -append "{append}"')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
