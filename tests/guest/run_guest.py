#!/usr/bin/env python3
"""run_guest.py - boot a guest kernel headless on an emulator and check it.

The emulator is a parameter (--emu), so the same test runs on
qemu-system-i386 and, once its CPU runs, on mmulab, which accepts the same
command line. Checks, each optional:
  --expect-status N   the emulator's exit status (isa-debug-exit: (v<<1)|1)
  --golden FILE       the serial transcript, byte for byte
  --expect-text S     a substring the transcript must contain (repeatable)
  --trace-golden FILE the --trace-mm JSON lines (mmulab only: the emulator
                      is given --trace-mm TMPFILE)
Exit: 0 pass, 1 fail, 77 skip (emulator not installed; meson's SKIP).
--update rewrites the golden file from this run instead of comparing
(review the diff before committing it).
"""
import argparse
import difflib
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

SKIP = 77


def read_text(path):
    with open(path, encoding='utf-8', errors='replace', newline='') as f:
        return f.read()


def compare(golden, got, update):
    """Compare `got` with the golden file (or rewrite it with --update)."""
    if update:
        with open(golden, 'w', encoding='utf-8', newline='') as f:
            f.write(got)
        print(f'updated {golden}')
        return True
    want = read_text(golden)
    if got == want:
        return True
    print(f'FAIL: output differs from {golden}:')
    sys.stdout.writelines(difflib.unified_diff(
        want.splitlines(True), got.splitlines(True), 'golden', 'this run', n=2))
    return False


def run_with_input(cmd, data, after, watchdog):
    """Run cmd, wait until its stdout shows `after`, then type `data`."""
    import select
    import time
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    out = b''
    deadline = time.monotonic() + watchdog
    while after not in out and p.poll() is None:
        left = deadline - time.monotonic()
        if left <= 0:
            p.kill()
            raise subprocess.TimeoutExpired(cmd, watchdog, output=out)
        ready, _, _ = select.select([p.stdout], [], [], min(left, 1.0))
        if ready:
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                break
            out += chunk
    try:
        rest, err = p.communicate(input=data, timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        p.kill()
        raise subprocess.TimeoutExpired(cmd, watchdog, output=out)
    return subprocess.CompletedProcess(cmd, p.returncode, out + rest, err)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--emu', required=True, help='emulator command, e.g. qemu-system-i386')
    ap.add_argument('--kernel', help='the kernel (not with --program)')
    ap.add_argument('--initrd', help='Multiboot modules, as -initrd takes them')
    ap.add_argument('--program', nargs='+', metavar='ARG',
                    help="mmulab's bare form: run PROG ARGS... on the bundled kernel")
    ap.add_argument('-m', '--memory', default='128', help='RAM in MiB')
    ap.add_argument('--append', default='', help='kernel command line')
    ap.add_argument('--cpu', default=None)
    ap.add_argument('--golden')
    ap.add_argument('--trace-golden')
    ap.add_argument('--trace-ignore', action='append', default=[], metavar='FIELD',
                    help='drop this JSON field from every trace line before comparing '
                         '(e.g. icount, which moves with the length of the command line)')
    ap.add_argument('--input', help='text for the serial console (the emulator\'s stdin)')
    ap.add_argument('--input-after', default='',
                    help='send --input only once the output shows this text (a byte sent '
                         'before the guest programs its UART is lost in the FIFO reset; '
                         'pick a whole line: the emulator may hold back a partial one)')
    ap.add_argument('--expect-status', type=int)
    ap.add_argument('--expect-text', action='append', default=[])
    ap.add_argument('--watchdog', type=float, default=300.0,
                    help='seconds before the run is killed (a hang, not a timing check)')
    ap.add_argument('--update', action='store_true')
    args = ap.parse_args()

    emu = shlex.split(args.emu)
    if not emu or shutil.which(emu[0]) is None:
        print(f'SKIP: emulator {emu[0] if emu else "?"} not found')
        return SKIP
    image = args.program[0] if args.program else args.kernel
    if not image or not os.path.exists(image):
        print(f'FAIL: {image} not built')
        return 1

    if args.program:
        # Options first, then the program and its arguments (they end
        # the command line).
        cmd = emu + ['-display', 'none', '-serial', 'stdio', '-no-reboot', '-m', str(args.memory)]
    else:
        cmd = emu + ['-kernel', args.kernel, '-nodefaults', '-display', 'none',
                     '-serial', 'stdio', '-no-reboot',
                     '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
                     '-m', str(args.memory)]
    if args.append:
        cmd += ['-append', args.append]
    if args.initrd:
        cmd += ['-initrd', args.initrd]
    if args.cpu:
        cmd += ['-cpu', args.cpu]
    trace_path = None
    if args.trace_golden:
        fd, trace_path = tempfile.mkstemp(prefix='trace-mm-', suffix='.jsonl')
        os.close(fd)
        cmd += ['--trace-mm', trace_path]
    if args.program:
        cmd += args.program
    print('running:', ' '.join(shlex.quote(c) for c in cmd))
    try:
        if args.input is not None:
            proc = run_with_input(cmd, args.input.encode(), args.input_after.encode(),
                                  args.watchdog)
        else:
            proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, timeout=args.watchdog)
    except subprocess.TimeoutExpired as e:
        print(f'FAIL: no power-off within {args.watchdog} s; output so far:')
        sys.stdout.write((e.stdout or b'').decode('utf-8', 'replace'))
        return 1
    out = proc.stdout.decode('utf-8', 'replace')
    sys.stdout.write(out)
    if proc.stderr:
        sys.stdout.write('--- emulator stderr ---\n' + proc.stderr.decode('utf-8', 'replace'))

    ok = True
    if args.expect_status is not None and proc.returncode != args.expect_status:
        print(f'FAIL: exit status {proc.returncode}, expected {args.expect_status}')
        ok = False
    for text in args.expect_text:
        if text not in out:
            print(f'FAIL: transcript lacks {text!r}')
            ok = False
    if args.golden:
        ok = compare(args.golden, out, args.update) and ok
    if trace_path:
        trace = read_text(trace_path)
        if args.trace_ignore:
            import json
            lines = []
            for line in trace.splitlines():
                rec = json.loads(line)
                for field in args.trace_ignore:
                    rec.pop(field, None)
                lines.append(json.dumps(rec, separators=(',', ':')) + '\n')
            trace = ''.join(lines)
        ok = compare(args.trace_golden, trace, args.update) and ok
        os.unlink(trace_path)
    print('PASS' if ok else 'FAIL')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
