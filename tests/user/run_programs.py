#!/usr/bin/env python3
"""run_programs.py - run the mmulab user programs as host processes.

The host's Linux kernel runs static i386 programs natively and is the
reference nobody on the project wrote: each case below runs a guest program
under `setarch -R` (no address randomisation), with RLIMIT_AS capped at
256 MiB (memhog and overcommit can never eat the host's memory), no core
dumps and a timeout, and checks its real behaviour (exit statuses, signals,
brk movement, the VMAs in /proc/self/maps, copy-on-write...).

usage: run_programs.py --bindir DIR --testdir DIR CASE
"""
import argparse
import os
import re
import resource
import signal
import struct
import subprocess
import sys
import tempfile

AS_LIMIT = 256 << 20
PAGE = 4096
ARGS = None


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def limits():
    resource.setrlimit(resource.RLIMIT_AS, (AS_LIMIT, AS_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def prog(name):
    for d in (ARGS.bindir, ARGS.testdir):
        p = os.path.join(d, name)
        if os.path.exists(p):
            return p
    raise Failure(f"program {name} not built")


def run(argv, stdin=None, timeout=60, env=None):
    """Run a program; returns (returncode, stdout, stderr).  A negative
    returncode -N means the process was killed by signal N."""
    argv = [prog(argv[0])] + list(argv[1:])
    e = dict(os.environ)
    e["PATH"] = ARGS.bindir + ":" + ARGS.testdir + ":" + e.get("PATH", "/usr/bin:/bin")
    if env:
        e.update(env)
    try:
        r = subprocess.run(["setarch", os.uname().machine, "-R"] + argv, input=stdin,
                           capture_output=True, timeout=timeout, preexec_fn=limits, env=e)
    except subprocess.TimeoutExpired:
        raise Failure(f"{argv} timed out after {timeout} s")
    out = r.stdout.decode("latin-1")
    err = r.stderr.decode("latin-1")
    sys.stdout.write(f"$ {' '.join(os.path.basename(a) if i == 0 else a for i, a in enumerate(argv))}"
                     f"  -> {r.returncode}\n{out}")
    if err:
        sys.stdout.write(f"[stderr]\n{err}")
    return r.returncode, out, err


def expect_exit(argv, code, **kw):
    rc, out, err = run(argv, **kw)
    check(rc == code, f"{argv}: exit {rc}, expected {code}")
    return out


# ---------------------------------------------------------------- the cases

def case_elf():
    """Every program is a static ELF32 i386 executable at the classic
    address, with an R+X text segment and an R+W data segment."""
    names = ["init", "sh", "cat", "echo", "ps", "free", "kill", "memhog", "overcommit",
             "brkdemo", "mmapdemo", "forkcow", "segv", "stackgrow", "sysstress"]
    for n in names:
        data = open(prog(n), "rb").read()
        check(data[:4] == b"\x7fELF" and data[4] == 1 and data[5] == 1, f"{n}: not ELF32 LSB")
        e_type, e_machine, _, e_entry, e_phoff = struct.unpack_from("<HHIII", data, 16)
        check(e_type == 2 and e_machine == 3, f"{n}: type {e_type} machine {e_machine}")
        phentsize, phnum = struct.unpack_from("<HH", data, 42)
        loads = []
        for i in range(phnum):
            p_type, _, p_vaddr, _, _, _, p_flags, _ = struct.unpack_from("<8I", data, e_phoff + i * phentsize)
            check(p_type != 3, f"{n}: has PT_INTERP (not static)")
            check(p_type != 2, f"{n}: has PT_DYNAMIC")
            if p_type == 1:
                loads.append((p_vaddr, p_flags))
        check(loads and loads[0] == (0x08048000, 5), f"{n}: first PT_LOAD {loads[:1]}, want 0x08048000 R+X")
        check(all(f == 6 for _, f in loads[1:]) and len(loads) == 2, f"{n}: data segments {loads[1:]}")
        check(0x08048000 < e_entry < 0x08148000, f"{n}: entry {e_entry:#x}")
    print(f"{len(names)} programs are static i386 ELF executables")
    # The whole image must run on -cpu 386: no instruction from a later
    # model (486: bswap xadd cmpxchg invlpg; Pentium: cpuid rdtsc cmpxchg8b;
    # P6: cmov; no x87, MMX or SSE: the libc is built -mno-80387).
    later = re.compile(r"\t(bswap|xadd|cmpxchg\w*|invlpg|cpuid|rdtsc|cmov\w+|f\w+|\w*xmm\w*|"
                       r"\w*mm[0-7]\w*|emms|ud2|sysenter|syscall)\b")
    for n in names:
        dis = subprocess.run(["objdump", "-d", "--no-show-raw-insn", prog(n)], capture_output=True,
                             text=True, check=True).stdout
        bad = [l for l in dis.splitlines() if later.search(l) and "%mm" not in l or "%xmm" in l]
        check(not bad, f"{n}: instructions beyond the 386: {bad[:3]}")
    print("all programs use 386 instructions only")


def case_echo():
    check(expect_exit(["echo", "a", "b", "c"], 0) == "a b c\n", "echo a b c")
    check(expect_exit(["echo", "-n", "x", "y"], 0) == "x y", "echo -n")
    check(expect_exit(["echo"], 0) == "\n", "bare echo")


def case_cat():
    with tempfile.TemporaryDirectory() as d:
        a, b = os.path.join(d, "a"), os.path.join(d, "b")
        blob = bytes(range(256)) * 40 + b"tail\n"
        open(a, "wb").write(blob)
        open(b, "w").write("second file\n")
        rc, out, _ = run(["cat", a, b])
        check(rc == 0 and out.encode("latin-1") == blob + b"second file\n", "cat of two files")
        rc, out, _ = run(["cat"], stdin=b"from stdin\n")
        check(rc == 0 and out == "from stdin\n", "cat from stdin")
        rc, out, err = run(["cat", os.path.join(d, "missing"), b])
        check(rc == 1 and out == "second file\n" and "No such file or directory" in err,
              "cat of a missing file: status 1, message, continues")


def case_brkdemo():
    out = expect_exit(["brkdemo"], 0)
    m = re.search(r"end of bss (0x[0-9a-f]+), initial break (0x[0-9a-f]+)", out)
    check(m, "no initial line")
    end, start = int(m.group(1), 16), int(m.group(2), 16)
    check(start >= end and start - end < 2 * PAGE, f"initial break {start:#x} not just above bss end {end:#x}")
    steps = re.findall(r"brk (grow|shrink) (\d+): (0x[0-9a-f]+) -> (0x[0-9a-f]+)", out)
    check([(s[0], int(s[1])) for s in steps] ==
          [("grow", 4096), ("grow", 65536), ("grow", 1 << 20), ("shrink", 1 << 20),
           ("shrink", 65536), ("grow", 65536)], f"steps {steps}")
    prev = start
    for op, n, a, b in steps:
        a, b, n = int(a, 16), int(b, 16), int(n)
        check(a == prev, f"step starts at {a:#x}, previous break {prev:#x}")
        check(b - a == (n if op == "grow" else -n), f"brk {op} {n}: {a:#x} -> {b:#x}")
        prev = b
    check("regrown memory reads zero: yes" in out, "regrown brk memory not zero")
    check("brk below the heap start refused: yes" in out, "brk below start not refused")
    check(f"back to {start:#x}, ok" in out, "did not return to the initial break")


def case_mmapdemo():
    out = expect_exit(["mmapdemo"], 0)
    bases = [int(x, 16) for x in re.findall(r"mapped 16 pages at (0x[0-9a-f]+)", out)]
    check(len(bases) == 2, "two mappings expected")
    steps = {}
    for m in re.finditer(r"step: (.*)\n((?:vma .*\n)*)end\n", out):
        steps[m.group(1)] = [tuple(int(x, 16) for x in l.split()[1].split("-")) + (l.split()[2],)
                             for l in m.group(2).splitlines()]
    def pages(base, *ranges):
        return [(base + a * PAGE, base + b * PAGE, "rw-p") for a, b in ranges]
    b0, b1 = bases
    want = {
        "mapped": pages(b0, (0, 16)),
        "whole unmapped": [],
        "mapped again": pages(b1, (0, 16)),
        "head unmapped": pages(b1, (4, 16)),
        "tail unmapped": pages(b1, (4, 12)),
        "hole punched": pages(b1, (4, 7), (9, 12)),
    }
    for k, v in want.items():
        check(steps.get(k) == v, f"step '{k}': maps {steps.get(k)}, want {v}")
    check("remaining data intact: yes" in out, "data lost by munmap")
    check("touching the hole: SIGSEGV" in out, "the hole did not fault")


def case_forkcow():
    out = expect_exit(["forkcow"], 0)
    check("child sees its writes: yes" in out, "child view")
    check("parent copy unchanged: heap yes, data yes, stack yes" in out, "parent copy changed")


def case_segv():
    for mode in ("null", "kernel", "text", "mprotect"):
        rc, out, _ = run(["segv", mode])
        check(rc == -signal.SIGSEGV, f"segv {mode}: status {rc}, want death by SIGSEGV")
        check(f"segv: " in out and "no fault" not in out, f"segv {mode} output")
    rc, out, err = run(["segv"])
    check(rc == 2 and "usage" in err, "segv without arguments: usage, status 2")
    # The 139-style status a parent sees: through our own sh and init.
    check(run(["sh", "-c", "segv null"])[0] == 128 + signal.SIGSEGV, "sh -c 'segv null' != 139")
    rc, out, _ = run(["init", "segv", "kernel"])
    check(rc == 139 and "--- segv: killed by signal 11 (Segmentation fault)" in out, "init segv kernel")


def case_stackgrow():
    for n in (1, 64, 300):
        out = expect_exit(["stackgrow", str(n)], 0)
        check(f"done, {n} frames, checksum {n * (n + 1)}" in out, f"stackgrow {n} checksum")
        m = re.search(r"bottom at depth (\d+), (\d+) KiB below", out)
        check(m and int(m.group(1)) == n and int(m.group(2)) >= 4 * (n - 1), f"stackgrow {n} depth")


def case_memhog():
    out = expect_exit(["memhog", "8"], 0)
    check("reached 8 MiB" in out, "memhog with a limit")
    rc, out, _ = run(["memhog", "-s", "16"], timeout=120)
    progress = [int(x) for x in re.findall(r"memhog: (\d+) MiB allocated", out)]
    check(progress == list(range(16, 16 * (len(progress) + 1), 16)), f"progress {progress}")
    if rc == 1:
        m = re.search(r"malloc failed after (\d+) KiB", out)
        check(m and 16 * 1024 <= int(m.group(1)) < AS_LIMIT // 1024, "memhog failure line")
    else:
        check(rc == -signal.SIGKILL, f"memhog ended with {rc}: neither malloc failure nor SIGKILL")


def case_overcommit():
    out = expect_exit(["overcommit", "64"], 0)
    check("reserved 64 MiB" in out and "all 64 MiB touched" in out, "overcommit 64")
    check(re.findall(r"touched (\d+) MiB\n", out) == [str(x) for x in range(16, 65, 16)], "touch progress")
    out = expect_exit(["overcommit", "-n", "128"], 0)
    check("reserved 128 MiB" in out and "not touching" in out, "overcommit -n 128")
    # Default: 32 x RAM, far beyond the 256 MiB address-space limit here.
    out = expect_exit(["overcommit", "-n"], 0)
    ram = int(re.search(r"MemTotal:\s+(\d+)", open("/proc/meminfo").read()).group(1)) // 1024
    check(f"RAM {ram} MiB, reserving {32 * ram} MiB" in out, "RAM read from /proc/meminfo")
    m = re.search(r"reserved (\d+) MiB .*then malloc failed", out)
    check(m and 64 <= int(m.group(1)) < 256, "default reservation stops at the limit")


def case_ps():
    out = expect_exit(["ps"], 0)
    lines = out.splitlines()
    check(lines[0].split() == ["PID", "PPID", "S", "CMD"], "ps header")
    me = os.getpid()
    rows = [l.split(None, 3) for l in lines[1:]]
    check(any(int(r[0]) == me and int(r[1]) == os.getppid() for r in rows), "this test's process missing")
    check(any(r[3] == "ps" and r[2] == "R" for r in rows), "ps itself, running, missing")
    check(any(int(r[0]) == 1 for r in rows), "pid 1 missing")


def case_free():
    out = expect_exit(["free"], 0)
    total = int(re.search(r"MemTotal:\s+(\d+)", open("/proc/meminfo").read()).group(1))
    m = re.search(r"^Mem:\s+(\d+)\s+(\d+)\s+(\d+)", out, re.M)
    check(m and int(m.group(1)) == total, f"Mem total {m and m.group(1)}, /proc/meminfo {total}")
    check(int(m.group(2)) + int(m.group(3)) <= total, "used + free > total")
    check(re.search(r"^Swap:", out, re.M), "no Swap line")


def case_kill():
    victim = subprocess.Popen(["sleep", "60"])
    try:
        expect_exit(["kill", "-TERM", str(victim.pid)], 0)
        check(victim.wait(timeout=10) == -signal.SIGTERM, "victim not ended by SIGTERM")
    finally:
        if victim.poll() is None:
            victim.kill()
    victim = subprocess.Popen(["sleep", "60"])
    try:
        expect_exit(["kill", "-s", "9", str(victim.pid)], 0)
        check(victim.wait(timeout=10) == -signal.SIGKILL, "victim not ended by SIGKILL")
    finally:
        if victim.poll() is None:
            victim.kill()
    rc, _, err = run(["kill", "-0", "2147483646"])
    check(rc == 1 and "No such process" in err, "kill of a missing pid")
    check(run(["kill", "-BOGUS", "1"])[0] == 2, "bad signal name")
    out = expect_exit(["kill", "-l"], 0)
    check(" 9 KILL" in out and "11 SEGV" in out, "kill -l")


def case_sh():
    check(expect_exit(["sh", "-c", "echo a; echo b"], 0) == "a\nb\n", "sh -c list")
    check(expect_exit(["sh", "-c", "echo 'x;  y' \"z\""], 0) == "x;  y z\n", "quotes")
    check(expect_exit(["sh", "-c", "exit 7"], 7) == "", "exit 7")
    out = expect_exit(["sh", "-c", "echo first; exit 3; echo never"], 3)
    check(out == "first\n", "exit stops the list")
    rc, out, err = run(["sh", "-c", "nosuchprogram; echo after"])
    check(rc == 0 and out == "after\n" and "not found" in err, "missing program")
    check(run(["sh", "-c", "nosuchprogram"])[0] == 127, "missing program status 127")
    out = expect_exit(["sh"], 5, stdin=b"echo one\necho two # comment\nsh -c 'exit 5'\n")
    check(out == "one\ntwo\n", "script on stdin")
    out = expect_exit(["sh", "-c", "cat /proc/self/stat"], 0)
    check("(cat)" in out, "external cat through sh")


def case_init():
    check(expect_exit(["init", "echo", "hi"], 0).endswith("hi\n--- echo: exited with status 0\n"), "init echo")
    rc, out, _ = run(["init"], timeout=240)
    banners = re.findall(r"=== \[(\d)/(\d)\] (\S+)", out)
    check([b[2] for b in banners] == ["brkdemo", "mmapdemo", "forkcow", "stackgrow", "overcommit",
                                      "segv", "memhog"], f"tour order {banners}")
    results = re.findall(r"--- (\S+): (exited with status|killed by signal) (\d+)", out)
    check(len(results) == 7, f"results {results}")
    check(all(r[1] == "exited with status" and r[2] == "0" for r in results[:5]), "first five succeed")
    check(results[5] == ("segv", "killed by signal", "11"), "segv step")
    last = 1 if results[6][1] == "exited with status" else 128 + int(results[6][2])
    check(results[6][0] == "memhog" and last in (1, 137), "memhog step")
    check(rc == last and f"tour finished, last status {last}" in out, f"init status {rc}, last {last}")


def case_sysstress():
    for seed, calls in ((1, 2000), (7, 3000), (2024, 1000)):
        out = expect_exit(["sysstress", str(seed), str(calls)], 0, timeout=120)
        check(out.rstrip().endswith("sysstress: done"), "sysstress did not finish")
        n = sum(int(x) for x in re.findall(r"children completed (\d+), exited early (\d+)", out)[0])
        n += sum(int(x) for x in re.findall(r"(\d+) killed by signal", out))
        check(n == (calls + 49) // 50, f"children accounted {n}")
        allowed = {signal.SIGSEGV, signal.SIGBUS, signal.SIGILL, signal.SIGFPE, signal.SIGTRAP,
                   signal.SIGKILL, signal.SIGXCPU, signal.SIGXFSZ}
        for s in re.findall(r"killed by signal (\d+)", out):
            s = int(s)
            # A child may also die by a signal it sent itself (kill is only
            # ever aimed at its own pid); stop signals are never sent.
            check(s in allowed or s not in (signal.SIGSTOP, signal.SIGTSTP, 21, 22), f"signal {s}")


def case_mallocstress():
    for seed in ("1", "99", "12345"):
        out = expect_exit(["mallocstress", seed, "60000"], 0, timeout=120)
        check("mallocstress: ok (0 failures)" in out, "mallocstress failed")


def case_hello_glibc():
    out = expect_exit(["hello_glibc"], 0)
    check(out == "hello, world from a glibc static binary, argc 1\n", "glibc hello output")
    expect_exit(["hello_glibc", "3"], 3)


def case_syscheck():
    """Each wrapper against the host kernel: values the test can see from
    outside (pid, ids, uname, limits, file and directory state)."""
    with tempfile.TemporaryDirectory() as d:
        env = {"AAA": "first", "PATH": "/usr/bin:/bin"}
        p = subprocess.Popen(["setarch", os.uname().machine, "-R", prog("syscheck"), d, prog("sh")],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=limits, env=env)
        out, err = p.communicate(timeout=60)
        out = out.decode()
        print(out + err.decode())
        check(p.returncode == 0, f"syscheck exit {p.returncode}")
        got = dict(l.split(": ", 1) for l in out.splitlines() if ": " in l)
        st = os.stat(os.path.join(d, "file"))
        stack = resource.getrlimit(resource.RLIMIT_STACK)[0]
        stack = 0xffffffff if stack == resource.RLIM_INFINITY or stack > 0xffffffff else stack
        u = os.uname()
        text = "".join(chr(ord("a") + i % 26) for i in range(6000))
        want = {
            "pid": str(p.pid), "ppid": str(os.getpid()), "tid": str(p.pid),
            "uid": f"{os.getuid()} {os.geteuid()}", "gid": f"{os.getgid()} {os.getegid()}",
            "uname": f"{u.sysname}|{u.nodename}|{u.release}|{u.machine}",
            "rlimit_as": f"{AS_LIMIT} {AS_LIMIT}", "setrlimit_as": "0",
            "rlimit_as_after": str(100 << 20), "rlimit_stack": str(stack),
            "write": "6000", "lseek_cur": "6000", "lseek_set": "4096",
            "read": f"1904 {text[4096:4101]}", "lseek64_end": "5990",
            "fstat": f"size 6000 mode {st.st_mode:o} nlink 1 ino {st.st_ino} blksize {st.st_blksize}",
            "mmap_file": f"ok {text[4096]}", "read_closed": "-1 9", "open_missing": "-1 2",
            "stat": "size 6000", "dir_entries": str(len(os.listdir(d))),
            "old_mmap": "ok", "mprotect": "0", "munmap": "0", "munmap_unaligned": "-1 22",
            "sigaction": "0", "handler_ran": "10", "blocked_pending": "10", "after_unblock": "20",
            "kill0": "0", "siginfo_handler": "1212", "nanosleep": "0", "nanosleep_bad": "-1 22",
            "wait_nochild": "-1 10", "exec": "ok", "waitpid": "1", "child_status": "0",
            "execve_missing": "-1 2", "brk0": "ok", "environ_first": "AAA=first", "pagesize": "4096",
        }
        for k, v in want.items():
            check(got.get(k) == v, f"{k}: got {got.get(k)!r}, want {v!r}")
        m = re.fullmatch(r"entry (\d+) value 5a5a1234", got.get("set_thread_area", ""))
        check(m and 6 <= int(m.group(1)) <= 14, f"set_thread_area: {got.get('set_thread_area')}")
        check(st.st_mode & 0o777 == 0o640 & ~_umask(), "created file mode")


def _umask():
    m = os.umask(0)
    os.umask(m)
    return m


def case_sdk():
    """The SDK builds a user's own program outside meson, with make."""
    sdk = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "guest", "sdk")
    with tempfile.TemporaryDirectory() as d:
        r = subprocess.run(["make", "-C", os.path.join(sdk, "example"), "BUILD=" + d],
                           capture_output=True, timeout=240)
        check(r.returncode == 0, "make -C guest/sdk/example failed:\n" + r.stderr.decode())
        hello = os.path.join(d, "hello")
        r = subprocess.run(["setarch", os.uname().machine, "-R", hello, "x"], capture_output=True,
                           timeout=30, preexec_fn=limits)
        out = r.stdout.decode()
        print(out)
        check(r.returncode == 0, f"hello exit {r.returncode}")
        check("2 arguments" in out and 'argv[1] = "x"' in out and "64 KiB heap block" in out,
              "hello output")


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--bindir", required=True)
    ap.add_argument("--testdir", required=True)
    ap.add_argument("case")
    ARGS = ap.parse_args()
    fn = globals().get("case_" + ARGS.case)
    if not fn:
        print(f"unknown case {ARGS.case}")
        return 2
    try:
        fn()
    except Failure as e:
        print(f"FAIL: {e}")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
