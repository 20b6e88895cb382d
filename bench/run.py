#!/usr/bin/env python3
"""run.py - mmulab and qemu-system-i386 side by side on the same guests.

usage: bench/run.py [--build DIR] [--reps R] [--scale F] [--clock wall|cpu]
                    [--only int,tlb,pf,syscall,memhog,boot] [--png FILE]
                    [--markdown FILE] [--json FILE] [--no-install]
                    [--boot-append STR]

Each workload of the benchmark kernel (build/bench/bench.elf, see
bench/kernel/) runs on both engines with the same QEMU-style command line,
once with n iterations and once with 2n. Subtracting the two cancels the
fixed cost (process start, firmware, boot, workload set-up), so
(t(2n) - t(n)) / n is the time of one iteration. Runs alternate between
the engines (A B A B ...) so that a change in the host's load hits both
alike; R repetitions give the median and the spread (min..max, shown as
+-half the range relative to the median).

Guest instructions per second: mmulab counts its own and prints them with
--stats ("mmulab: stats: insns=N ..." on stderr); the guest is
deterministic and takes no interrupts, so QEMU retires the same
instructions per iteration and its rate is mmulab's instructions per
iteration over QEMU's time per iteration ("derived"). Without --stats both
read "n/a", unless --count-insns asks for the count by bisection over
mmulab's --max-insns (about 60 extra short runs per workload, at a tenth
of n).

Each engine has its own n (WORKLOADS below): QEMU's JIT runs the integer
workload some 30 times faster than mmulab's interpreter, and its n must be
large enough for t(2n) - t(n) to stand out of its start-up noise.

"memhog" runs the bundled kernel (build/guest/kernel/kernel.elf) with
"quiet init=/bin/memhog -r N" at -m 32: memhog as init lets N children in
turn hog memory until the OOM killer kills them, then prints
"bench=memhog n=N checksum=..." (each child's wait status and KiB reached)
and exits, and the kernel powers off. n and 2n rounds cancel the boot.

"boot" runs the bundled kernel from reset to its isa-debug-exit power-off
with "init_exit_checks=off init=/bin/echo" (--boot-append): the first user
program prints an empty line and exits, and the kernel powers off at once,
so the whole run bounds "reset to the first user program" from above. It
reports the whole run's time (no n/2n), and from one extra mmulab run with
"-d int" the guest instructions up to the first system call from ring 3
(where the first user program has certainly started) against the whole
run's count, i.e. how tight the bound is.

Every run's checksum line must be the same on both engines; a difference
or an unexpected exit status stops the script with status 1.

Debian packages: qemu-system-x86 (installed by this script if missing,
unless --no-install), gnuplot-nox (the PNG chart; skipped with a warning
when gnuplot is missing).
"""
import argparse
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# name -> (iterations n per engine at --scale 1, description). Each n is
# chosen so that n iterations take roughly half a second of CPU on that
# engine (measured on the 2-core development host, November 2026; int and
# tlb raised when -mtune=generic made an iteration 1.4x and 2.1x shorter).
WORKLOADS = {
    'int': ({'mmulab': 600, 'qemu': 40000},
            'integer code under paging (4096 xorshift steps per iteration)'),
    'tlb': ({'mmulab': 200, 'qemu': 800},
            'one read in each 4 KiB page of 32 MiB, pseudo-random order (8192 pages per iteration)'),
    'pf': ({'mmulab': 400, 'qemu': 2000},
           'page-fault storm: #PF maps a frame, INVLPG unmaps (256 faults per iteration)'),
    'syscall': ({'mmulab': 1000, 'qemu': 500},
                'ring-3 int 0x80 with a CR3 switch on each (256 calls per iteration)'),
}
# Workloads of the bundled kernel: name -> (n per engine, description,
# guest RAM in MiB, command line for n iterations). memhog at -m 32: one
# round is ~68 M guest instructions there (~300 M at -m 128), which keeps
# a 2n run of mmulab near two seconds of CPU.
GUEST_WORKLOADS = {
    'memhog': ({'mmulab': 1, 'qemu': 4},
               'bundled kernel, memhog as init: N children hog memory to the OOM kill',
               32, 'quiet init=/bin/memhog -r {n}'),
}
BOOT_APPEND = 'init_exit_checks=off init=/bin/echo'
FIRST_USER_RE = re.compile(rb'^int: vector 0x80 \w+ error 0x[0-9a-f]+ eip 0x([0-9a-f]+) t=(\d+) ns', re.M)
BOOT_REPS_FACTOR = 1
EXIT_OK_STATUS = 1          # isa-debug-exit code 0 -> (0 << 1) | 1
CHECKSUM_RE = re.compile(rb'^bench=(\w+) n=(\d+) checksum=(0x[0-9a-f]{8})$', re.M)
STATS_RE = re.compile(rb'mmulab: stats: .*?\binsns=(\d+)')


def die(msg):
    print(f'run.py: {msg}', file=sys.stderr)
    sys.exit(1)


def ensure_qemu(path, install):
    """The QEMU binary, installing Debian's qemu-system-x86 if missing."""
    found = shutil.which(path)
    if found:
        return found
    if not install:
        die(f'{path} not found (and --no-install given)')
    print(f'{path} not found: installing qemu-system-x86', file=sys.stderr)
    cmd = ['apt-get', 'install', '-y', '--no-install-recommends', 'qemu-system-x86']
    if os.geteuid() != 0:
        cmd = ['sudo'] + cmd
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    subprocess.run(cmd, check=True, env=env)
    found = shutil.which(path)
    if not found:
        die(f'{path} still not found after installing qemu-system-x86')
    return found


def mmulab_has_stats(exe):
    """True when this mmulab build knows --stats (it lists it in --help)."""
    p = subprocess.run([exe, '--help'], capture_output=True, stdin=subprocess.DEVNULL)
    return b'--stats' in p.stdout + p.stderr


def run_once(cmd, timeout):
    """Run cmd headless; return wall and CPU seconds, peak RSS (KiB), the
    exit status, stdout and stderr. CPU time is user + system of the
    child and all its threads (QEMU's I/O thread included)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        watchdog = threading.Timer(timeout, p.kill)
        watchdog.start()
        try:
            _, status, ru = os.wait4(p.pid, 0)
        except BaseException:
            p.kill()
            raise
        finally:
            watchdog.cancel()
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        o, e = out.read(), err.read()
    return {'wall': wall, 'cpu': ru.ru_utime + ru.ru_stime, 'rss_kib': ru.ru_maxrss,
            'status': p.returncode, 'stdout': o, 'stderr': e}


def engine_cmd(engine, exes, kernel, append, mem, stats):
    common = ['-kernel', kernel, '-display', 'none', '-serial', 'stdio',
              '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-m', str(mem)]
    if append is not None:
        common += ['-append', append]
    if engine == 'mmulab':
        return [exes['mmulab']] + common + exes['mmulab_args'] + (['--stats'] if stats else [])
    return [exes['qemu'], '-nodefaults'] + common


def checked_run(engine, exes, kernel, append, mem, stats, timeout, want_line=True):
    r = run_once(engine_cmd(engine, exes, kernel, append, mem, stats), timeout)
    if r['status'] != EXIT_OK_STATUS:
        sys.stderr.write(r['stdout'].decode(errors='replace')[-2000:])
        sys.stderr.write(r['stderr'].decode(errors='replace')[-2000:])
        die(f'{engine} {append!r}: exit status {r["status"]}, expected {EXIT_OK_STATUS}')
    m = CHECKSUM_RE.search(r['stdout'])
    if want_line and not m:
        die(f'{engine} {append!r}: no checksum line in its output')
    r['checksum'] = m.group(3).decode() if m else None
    s = STATS_RE.search(r['stderr'])
    r['insns'] = int(s.group(1)) if s else None
    return r


def count_insns_by_bisection(exes, kernel, append, mem, timeout):
    """mmulab's retired-instruction count of a whole run, found without
    --stats: the smallest N for which --max-insns N still lets the guest
    power off by itself (exit status 1; status 10 means the limit hit
    first). About 32 short runs; opt-in with --count-insns."""
    base = engine_cmd('mmulab', exes, kernel, append, mem, False)
    lo, hi = 0, 1
    while True:                      # find an upper bound
        r = run_once(base + ['--max-insns', str(hi)], timeout)
        if r['status'] == EXIT_OK_STATUS:
            break
        if r['status'] != 10:
            die(f'--max-insns {hi}: unexpected status {r["status"]}')
        lo, hi = hi, hi * 4
    while hi - lo > 1:               # lo: limit hit; hi: guest finished
        mid = (lo + hi) // 2
        r = run_once(base + ['--max-insns', str(mid)], timeout)
        if r['status'] == EXIT_OK_STATUS:
            hi = mid
        elif r['status'] == 10:
            lo = mid
        else:
            die(f'--max-insns {mid}: unexpected status {r["status"]}')
    return hi


def summary(values):
    """Median, min, max and the spread: half the range over the median."""
    med = statistics.median(values)
    lo, hi = min(values), max(values)
    spread = (hi - lo) / 2 / med if med else float('nan')
    return {'median': med, 'min': lo, 'max': hi, 'spread': spread, 'samples': values}


def bench_workload(name, ns, exes, kernel, args, stats, mem=None, append=None):
    """A B A B over R repetitions, each engine with its own n and 2n
    (ns[engine]: QEMU's JIT needs many more iterations than mmulab's
    interpreter for the difference to stand out of its start-up noise).
    One extra QEMU run at mmulab's n checks the checksums match. append
    is the command line for n iterations as a format string with {n}
    (default: the benchmark kernel's "bench=NAME n={n}"); mem the guest
    RAM in MiB (default --mem)."""
    mem = mem or args.mem
    append = append or f'bench={name} n={{n}}'
    per_iter = {'mmulab': [], 'qemu': []}
    ips = {'mmulab': [], 'qemu': []}
    rss = {'mmulab': 0, 'qemu': 0}
    checks = {}
    insns_per_iter = None
    for rep in range(args.reps):
        res = {}
        for k in (1, 2):
            for engine in ('mmulab', 'qemu'):
                iters = k * ns[engine]
                r = checked_run(engine, exes, kernel, append.format(n=iters), mem,
                                stats, args.timeout)
                res[(engine, k)] = r
                rss[engine] = max(rss[engine], r['rss_kib'])
                old = checks.setdefault((engine, iters), r['checksum'])
                if old != r['checksum']:
                    die(f'{name} n={iters}: {engine} printed {old} and then {r["checksum"]}')
        if rep == 0:
            n = ns['mmulab']
            if ns['qemu'] != n:
                r = checked_run('qemu', exes, kernel, append.format(n=n), mem,
                                stats, args.timeout)
                checks[('qemu', n)] = r['checksum']
            if checks[('qemu', n)] != checks[('mmulab', n)]:
                die(f'{name} n={n}: checksum mmulab {checks[("mmulab", n)]} '
                    f'!= qemu {checks[("qemu", n)]}')
        n = ns['mmulab']
        if res[('mmulab', 1)]['insns'] is not None and res[('mmulab', 2)]['insns'] is not None:
            insns_per_iter = (res[('mmulab', 2)]['insns'] - res[('mmulab', 1)]['insns']) / n
        elif args.count_insns and insns_per_iter is None:
            small = max(1, n // 10)      # a tenth of the runs' length is enough
            counts = [count_insns_by_bisection(exes, kernel, append.format(n=k * small),
                                               mem, args.timeout) for k in (1, 2)]
            insns_per_iter = (counts[1] - counts[0]) / small
            print(f'  {name}: {insns_per_iter:.1f} guest instructions per iteration '
                  f'(--max-insns bisection)', file=sys.stderr)
        for engine in ('mmulab', 'qemu'):
            dt = res[(engine, 2)][args.clock] - res[(engine, 1)][args.clock]
            per_iter[engine].append(dt / ns[engine])
            if insns_per_iter is not None and dt > 0:
                ips[engine].append(insns_per_iter * ns[engine] / dt)
        line = '  '.join(f'{e} {per_iter[e][-1] * 1e3:.4f} ms/iter' for e in per_iter)
        print(f'  {name} rep {rep + 1}/{args.reps}: {line}', file=sys.stderr, flush=True)
    out = {'workload': name, 'n': dict(ns), 'mem': mem, 'insns_per_iter': insns_per_iter,
           'checksums': {f'{e} n={k}': v for (e, k), v in checks.items()}, 'engines': {}}
    for engine in ('mmulab', 'qemu'):
        out['engines'][engine] = {
            'sec_per_iter': summary(per_iter[engine]),
            'ips': summary(ips[engine]) if ips[engine] else None,
            'max_rss_kib': rss[engine],
        }
    q = out['engines']['qemu']['sec_per_iter']['median']
    m = out['engines']['mmulab']['sec_per_iter']['median']
    # A median at or below zero means the difference drowned in noise.
    out['speed_ratio'] = q / m if m > 0 and q > 0 else float('nan')
    return out


def first_user_syscall(exes, kernel, append, mem, timeout):
    """Guest instructions from reset to the first INT 0x80 from user space,
    from mmulab's "-d int" log (its t= is virtual time, one nanosecond per
    instruction), or None. An untimed extra run: logging is not free."""
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, 'int.log')
        cmd = engine_cmd('mmulab', exes, kernel, append, mem, False) + ['-d', 'int', '-D', log]
        r = run_once(cmd, timeout)
        if r['status'] != EXIT_OK_STATUS or not os.path.exists(log):
            return None
        with open(log, 'rb') as f:
            for m in FIRST_USER_RE.finditer(f.read()):
                if int(m.group(1), 16) < 0xC0000000:    # below PAGE_OFFSET: ring 3
                    return int(m.group(2))
    return None


def bench_boot(exes, kernel, args, stats):
    """The bundled kernel from reset to its power-off, whole runs, with
    the command line --boot-append (default: a first user program that
    exits at once, and no checks after it)."""
    times = {'mmulab': [], 'qemu': []}
    host_ns = []
    first_user_ns = []
    first_user_insns = None
    insns = None
    rss = {'mmulab': 0, 'qemu': 0}
    for rep in range(args.reps * BOOT_REPS_FACTOR):
        for engine in ('mmulab', 'qemu'):
            r = checked_run(engine, exes, kernel, args.boot_append or None, args.mem, stats,
                            args.timeout, want_line=False)
            if engine == 'mmulab' and r['insns'] is not None:
                if insns is not None and insns != r['insns']:
                    die(f'boot: mmulab ran {insns} and then {r["insns"]} instructions')
                insns = r['insns']
            times[engine].append(r[args.clock])
            rss[engine] = max(rss[engine], r['rss_kib'])
            m = re.search(rb'mmulab: stats: .*?\bhost_ns=(\d+)', r['stderr'])
            if engine == 'mmulab' and m:
                host_ns.append(int(m.group(1)) / 1e9)
            m = re.search(rb'mmulab: stats: .*?\bfirst_user_insns=(\d+) first_user_host_ns=(\d+)',
                          r['stderr'])
            if engine == 'mmulab' and m:
                first_user_insns = int(m.group(1))
                first_user_ns.append(int(m.group(2)) / 1e9)
        print(f'  boot rep {rep + 1}: mmulab {times["mmulab"][-1]:.3f} s  '
              f'qemu {times["qemu"][-1]:.3f} s', file=sys.stderr, flush=True)
    out = {'workload': 'boot', 'n': None, 'mem': args.mem, 'append': args.boot_append,
           'insns': insns,
           'insns_to_first_user_syscall': first_user_syscall(exes, kernel, args.boot_append,
                                                             args.mem, args.timeout),
           'engines': {}}
    for engine in ('mmulab', 'qemu'):
        out['engines'][engine] = {'run_seconds': summary(times[engine]),
                                  'max_rss_kib': rss[engine]}
    out['engines']['mmulab']['stats_host_seconds'] = summary(host_ns) if host_ns else None
    # --stats: wall time from process start to the first instruction at
    # CPL 3 (the first user program), and the instruction count there.
    out['engines']['mmulab']['first_user_host_seconds'] = (summary(first_user_ns)
                                                           if first_user_ns else None)
    out['first_user_insns'] = first_user_insns
    q = out['engines']['qemu']['run_seconds']['median']
    m = out['engines']['mmulab']['run_seconds']['median']
    out['speed_ratio'] = q / m if m > 0 else float('nan')
    return out


def fmt_time(s):
    if s >= 1:
        return f'{s:.3f} s'
    if s >= 1e-3:
        return f'{s * 1e3:.3f} ms'
    return f'{s * 1e6:.2f} us'


def fmt_ips(summ):
    if not summ:
        return 'n/a'
    return f'{summ["median"] / 1e6:.1f} M ±{summ["spread"] * 100:.0f}%'


def table_rows(results):
    rows = []
    for r in results:
        mem = r['mem']
        for engine in ('mmulab', 'qemu'):
            e = r['engines'][engine]
            if r['workload'] == 'boot':
                t = e['run_seconds']
                what = 'whole run'
                ips = 'n/a'
                if engine == 'mmulab' and r['insns'] and t['median'] > 0:
                    ips = f'{r["insns"] / t["median"] / 1e6:.1f} M (whole run)'
            else:
                t = e['sec_per_iter']
                what = fmt_time(t['median']) + '/iter'
                ips = fmt_ips(e['ips'])
                if engine == 'qemu' and e['ips']:
                    ips += ' (derived)'
            timing = (fmt_time(t['median']) if r['workload'] == 'boot' else what)
            rss_mib = e['max_rss_kib'] / 1024
            rss = f'{rss_mib:.0f} MiB' + (' (over!)' if rss_mib > mem + 64 else '')
            ratio = ''
            if engine == 'mmulab':
                ratio = (f'{r["speed_ratio"]:.2f}x' if r['speed_ratio'] == r['speed_ratio']
                         else 'n/a (noise: rerun with larger n)')
            n = '' if r['n'] is None else f' (n={r["n"][engine]})'
            if mem != 128:
                n += f' -m {mem}'
            rows.append([r['workload'] + n,
                         engine, timing, f'±{t["spread"] * 100:.1f}%',
                         f'{fmt_time(t["min"])} .. {fmt_time(t["max"])}', ips, ratio, rss])
    return ['workload', 'engine', 'median', 'spread', 'min .. max',
            'guest insns/s', 'speed mmulab/QEMU', 'max RSS'], rows


def notes(results):
    """Lines saying what the boot row measured, for the text and Markdown."""
    out = []
    for r in results:
        if r['workload'] != 'boot':
            continue
        line = f'boot: -append "{r["append"]}" -m {r["mem"]}, whole runs (process start included)'
        if r['insns']:
            line += f'; mmulab ran {r["insns"]} guest instructions'
            first = r['insns_to_first_user_syscall']
            if first:
                line += (f', the first INT 0x80 from ring 3 came after {first} '
                         f'({first / r["insns"] * 100:.1f}% of the run)')
        hs = r['engines']['mmulab'].get('stats_host_seconds')
        if hs:
            line += (f'; mmulab --stats host_ns (wall, from the start of main() to the end): '
                     f'median {fmt_time(hs["median"])}')
        fu = r['engines']['mmulab'].get('first_user_host_seconds')
        if fu:
            line += (f'; reset to the first user program (--stats first_user_host_ns, wall, '
                     f'from the start of main() to the first instruction at CPL 3, '
                     f'{r["first_user_insns"]} guest instructions): median {fmt_time(fu["median"])}, '
                     f'min {fmt_time(fu["min"])}, max {fmt_time(fu["max"])}')
        out.append(line)
    return out


def print_text(header, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    for row in [header] + rows:
        print('  '.join(str(x).ljust(w) for x, w in zip(row, widths)))


def markdown(header, rows, cmdline, args, results):
    lines = [f'Command: `{cmdline}`', '',
             f'Clock: {args.clock} (seconds per iteration = (t(2n) - t(n)) / n, '
             f'{args.reps} alternating repetitions; boot = whole run)', '',
             '| ' + ' | '.join(header) + ' |',
             '|' + '|'.join(' --- ' for _ in header) + '|']
    for row in rows:
        lines.append('| ' + ' | '.join(str(x) for x in row) + ' |')
    extra = notes(results)
    if extra:
        lines += [''] + extra
    return '\n'.join(lines) + '\n'


def draw_png(results, path, args):
    """Two panels with gnuplot: time per iteration of both engines (log
    scale, min..max error bars) and mmulab's speed relative to QEMU."""
    gnuplot = shutil.which('gnuplot')
    if not gnuplot:
        print('run.py: gnuplot not found (Debian package gnuplot-nox): no chart',
              file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, 'bench.dat')
        with open(data, 'w') as f:
            for i, r in enumerate(results):
                key = 'run_seconds' if r['workload'] == 'boot' else 'sec_per_iter'
                label = r['workload'] + ('' if r['workload'] != 'boot' else ' (s/run)')
                m = r['engines']['mmulab'][key]
                q = r['engines']['qemu'][key]
                f.write(f'{i} "{label}" {m["median"] * 1e3} {m["min"] * 1e3} {m["max"] * 1e3} '
                        f'{q["median"] * 1e3} {q["min"] * 1e3} {q["max"] * 1e3} '
                        f'{r["speed_ratio"]}\n')
        script = f'''
set terminal pngcairo size 1100,480 font "sans,10"
set output "{path}"
set multiplot layout 1,2 title "mmulab vs qemu-system-i386 (TCG), clock: {args.clock}, {args.reps} reps"
set style data histograms
set style histogram errorbars gap 1 lw 1
set style fill solid 0.8 border -1
set logscale y
set ylabel "milliseconds per iteration (boot: per run)"
set grid ytics
set key top left
set xtics rotate by -20
plot "{data}" using 3:4:5:xtic(2) title "mmulab" lc rgb "#1f77b4", \\
     "" using 6:7:8 title "qemu-system-i386" lc rgb "#ff7f0e"
unset logscale y
set style histogram clustered gap 1
set ylabel "speed mmulab / QEMU (higher is better)"
set yrange [0:*]
set key top right
plot "{data}" using 9:xtic(2) title "mmulab / QEMU" lc rgb "#2ca02c", \\
     1.5 with lines dt 2 lc rgb "black" title "target 1.5x"
unset multiplot
'''
        p = subprocess.run([gnuplot], input=script.encode(), capture_output=True)
        if p.returncode != 0:
            print('run.py: gnuplot failed:\n' + p.stderr.decode(errors='replace'),
                  file=sys.stderr)
        else:
            print(f'chart: {path}', file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default=os.path.join(ROOT, 'build'),
                    help='meson build directory (default: build/)')
    ap.add_argument('--mmulab', help='mmulab executable (default: BUILD/emu/mmulab)')
    ap.add_argument('--mmulab-args', default='',
                    help='extra mmulab options, e.g. "-cpu 486" or "--tlb policy=fifo"')
    ap.add_argument('--qemu', default='qemu-system-i386')
    ap.add_argument('--no-install', action='store_true',
                    help='do not install qemu-system-x86 when QEMU is missing')
    ap.add_argument('--kernel', help='benchmark kernel (default: BUILD/bench/bench.elf)')
    ap.add_argument('--guest-kernel',
                    help='bundled kernel for "memhog" and "boot" '
                         '(default: BUILD/guest/kernel/kernel.elf)')
    ap.add_argument('--only', default='int,tlb,pf,syscall,memhog,boot',
                    help='comma-separated workloads: ' + ', '.join(WORKLOADS) + ', ' +
                         ', '.join(GUEST_WORKLOADS) + ', boot')
    ap.add_argument('--boot-append', default=BOOT_APPEND,
                    help=f'kernel command line of "boot" (default: "{BOOT_APPEND}"; '
                         '"" for none, which runs the whole demo tour)')
    ap.add_argument('--reps', type=int, default=5, help='repetitions (default 5)')
    ap.add_argument('--scale', type=float, default=1.0, help='multiply every n by this')
    ap.add_argument('--clock', choices=['wall', 'cpu'], default='wall',
                    help='wall time, or CPU time (user + system) of the emulator process')
    ap.add_argument('--mem', type=int, default=128, help='guest RAM in MiB (default 128)')
    ap.add_argument('--timeout', type=float, default=600)
    ap.add_argument('--count-insns', action='store_true',
                    help='without --stats, count guest instructions by --max-insns bisection (slow)')
    ap.add_argument('--png', help='write the chart here (gnuplot)')
    ap.add_argument('--markdown', help='write the table as Markdown here')
    ap.add_argument('--json', help='write every sample as JSON here')
    args = ap.parse_args()

    exes = {'mmulab': args.mmulab or os.path.join(args.build, 'emu', 'mmulab'),
            'qemu': ensure_qemu(args.qemu, not args.no_install),
            'mmulab_args': shlex.split(args.mmulab_args)}
    kernel = args.kernel or os.path.join(args.build, 'bench', 'bench.elf')
    guest_kernel = args.guest_kernel or os.path.join(args.build, 'guest', 'kernel', 'kernel.elf')
    for path in (exes['mmulab'], kernel):
        if not os.path.exists(path):
            die(f'{path} missing: build it first (ninja -C {args.build})')
    if args.reps < 1:
        die('--reps must be at least 1')
    stats = mmulab_has_stats(exes['mmulab'])
    if not stats and not args.count_insns:
        print('run.py: this mmulab has no --stats: guest instructions per second are n/a',
              file=sys.stderr)

    wanted = [w.strip() for w in args.only.split(',') if w.strip()]
    results = []
    for name in wanted:
        if name == 'boot':
            if not os.path.exists(guest_kernel):
                die(f'{guest_kernel} missing')
            print(f'boot: bundled kernel, -append "{args.boot_append}", reset to '
                  'isa-debug-exit power-off', file=sys.stderr)
            results.append(bench_boot(exes, guest_kernel, args, stats))
        elif name in GUEST_WORKLOADS:
            if not os.path.exists(guest_kernel):
                die(f'{guest_kernel} missing')
            n_per, desc, mem, append = GUEST_WORKLOADS[name]
            ns = {e: max(1, int(n * args.scale)) for e, n in n_per.items()}
            print(f'{name}: {desc}; -m {mem}; n={ns["mmulab"]} (mmulab), '
                  f'{ns["qemu"]} (QEMU) and twice that', file=sys.stderr)
            results.append(bench_workload(name, ns, exes, guest_kernel, args, stats,
                                          mem=mem, append=append))
        elif name in WORKLOADS:
            ns = {e: max(1, int(n * args.scale)) for e, n in WORKLOADS[name][0].items()}
            print(f'{name}: {WORKLOADS[name][1]}; n={ns["mmulab"]} (mmulab), '
                  f'{ns["qemu"]} (QEMU) and twice that', file=sys.stderr)
            results.append(bench_workload(name, ns, exes, kernel, args, stats))
        else:
            die(f'unknown workload {name!r}')
    if not results:
        die('no workload to run')

    cmdline = 'bench/run.py ' + ' '.join(sys.argv[1:])
    header, rows = table_rows(results)
    print(f'clock: {args.clock}; speed mmulab/QEMU = QEMU time / mmulab time (> 1: mmulab faster)')
    print_text(header, rows)
    for line in notes(results):
        print(line)
    if args.markdown:
        with open(args.markdown, 'w') as f:
            f.write(markdown(header, rows, cmdline, args, results))
    if args.json:
        with open(args.json, 'w') as f:
            json.dump({'command': cmdline, 'clock': args.clock, 'reps': args.reps,
                       'results': results}, f, indent=1)
    if args.png:
        draw_png(results, args.png, args)
    return 0


if __name__ == '__main__':
    sys.exit(main())
