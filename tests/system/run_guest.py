#!/usr/bin/env python3
"""run_guest.py - boot a guest headless and check what it printed.

usage: run_guest.py [--golden FILE] [--status N] [--repeat K] [--stderr-has TEXT]
                    [--stdout-has TEXT]... [--stdin TEXT] [--skip-missing]
                    -- EMULATOR ARGS...

Runs EMULATOR ARGS with stdin from /dev/null (a headless run must not
depend on a terminal) or from --stdin TEXT (monitor commands) and checks:
the exit status is N, stdout equals the golden file byte for byte, stdout
and stderr contain the --stdout-has/--stderr-has texts, and with --repeat K that K runs give identical
stdout and stderr. --skip-missing turns a missing emulator into a skipped
test (exit 77), for qemu-system-i386 on machines without it.
"""
import argparse
import difflib
import shutil
import subprocess
import sys


def run(cmd, stdin_text=None):
    if stdin_text is None:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=600)
    else:
        p = subprocess.run(cmd, input=stdin_text.encode(), capture_output=True, timeout=600)
    return p.returncode, p.stdout, p.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--golden')
    ap.add_argument('--status', type=int)
    ap.add_argument('--repeat', type=int, default=1)
    ap.add_argument('--stderr-has')
    ap.add_argument('--skip-missing', action='store_true')
    ap.add_argument('--stdin', help='text fed to stdin (\\n for newlines)')
    ap.add_argument('--stdout-has', action='append', default=[])
    ap.add_argument('--file-has', action='append', default=[], metavar='PATH=TEXT',
                    help='after the run, file PATH contains TEXT')
    ap.add_argument('cmd', nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == '--' else a.cmd
    if a.skip_missing and shutil.which(cmd[0]) is None:
        print(f'{cmd[0]} not installed: skipped')
        return 77
    print('running:', ' '.join(cmd))
    stdin_text = a.stdin.replace('\\n', '\n') if a.stdin is not None else None
    rc, out, err = run(cmd, stdin_text)
    ok = True
    sys.stderr.write(err.decode(errors='replace'))
    if a.status is not None and rc != a.status:
        print(f'FAIL: exit status {rc}, expected {a.status}')
        ok = False
    if a.golden:
        with open(a.golden, 'rb') as f:
            want = f.read()
        if out != want:
            print('FAIL: output differs from', a.golden)
            sys.stdout.writelines(difflib.unified_diff(
                want.decode(errors='replace').splitlines(True),
                out.decode(errors='replace').splitlines(True), 'golden', 'got'))
            ok = False
    if a.stderr_has and a.stderr_has.encode() not in err:
        print(f'FAIL: stderr lacks {a.stderr_has!r}')
        ok = False
    for want in a.stdout_has:
        if want.encode() not in out:
            print(f'FAIL: stdout lacks {want!r}')
            ok = False
    for spec in a.file_has:
        path, want = spec.split('=', 1)
        try:
            with open(path, 'rb') as f:
                got = f.read()
        except OSError as e:
            print(f'FAIL: {path}: {e}')
            ok = False
            continue
        if want.replace('\\n', '\n').encode() not in got:
            print(f'FAIL: {path} lacks {want!r}')
            ok = False
    for i in range(1, a.repeat):
        rc2, out2, err2 = run(cmd, stdin_text)
        if (rc2, out2, err2) != (rc, out, err):
            print(f'FAIL: run {i + 1} differs from run 1 (status {rc2} vs {rc})')
            ok = False
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
