#!/usr/bin/env python3
# gen_rom.py OUTDIR - write rom0.s .. rom3.s (real-mode test ROMs, 64 KiB
# each) and cases.txt. Each case loads EAX/EBX/ECX/EDX and EFLAGS, runs
# one instruction and writes EAX, EDX, EBX, EFLAGS (16 bytes) to the
# debug console port E9h; the ROM ends by writing port F4h (isa-debug-exit).
# Deterministic (fixed seed): the golden outputs in this folder were made
# by running the ROMs on qemu-system-i386 7.2 (see regen.sh).
import random, sys, os
outdir = sys.argv[1]
random.seed(7)
cases = []
R8 = ['al','bl']; 
vals32 = [0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0x12345678, 0x89abcdef, 0x00018001]
def reg(size, r): return {8: r+'l', 16: r+'x', 32: 'e'+r+'x'}[size]
for op in ['shl','shr','sar','rol','ror','rcl','rcr']:
    for size in (8,16,32):
        for cnt in [0,1,2,3,7,8,9,15,16,17,18,31,32,33]:
            for v in random.sample(vals32, 4):
                for fl in (0, 0x8d5):
                    cases.append((f"{op} {reg(size,'a')}, cl", v, 0x9abcdef0, cnt, 0, fl))
for op in ['shld','shrd']:
    for size in (16,32):
        for cnt in [0,1,2,4,8,15,16,17,20,31,32]:
            for v in random.sample(vals32, 3):
                cases.append((f"{op} {reg(size,'a')}, {reg(size,'b')}, cl", v, random.choice(vals32), cnt, 0, 0))
for op in ['add','adc','sub','sbb','and','or','xor','cmp']:
    for size in (8,16,32):
        for a,b in [(random.choice(vals32), random.choice(vals32)) for _ in range(6)]:
            for fl in (0, 1):
                cases.append((f"{op} {reg(size,'a')}, {reg(size,'b')}", a, b, 0, 0, fl | 0x8d4*fl))
for op in ['mul','imul']:
    for size in (8,16,32):
        for a,b in [(random.choice(vals32), random.choice(vals32)) for _ in range(6)]:
            cases.append((f"{op} {reg(size,'b')}", a, b, 0, 0x11111111, 0x8d5))
for size in (16,32):
    for a,b in [(random.choice(vals32), random.choice(vals32)) for _ in range(6)]:
        cases.append((f"imul {reg(size,'a')}, {reg(size,'b')}", a, b, 0, 0, 0x8d5))
for op in ['bsf','bsr']:
    for size in (16,32):
        for b in [0, 1, 0x8000, 0x80000000, 0x12340, 0xffffffff]:
            for fl in (0, 0x8d5):
                cases.append((f"{op} {reg(size,'a')}, {reg(size,'b')}", 0x5555, b, 0, 0, fl))
for op in ['bt','bts','btr','btc']:
    for size in (16,32):
        for b in [0, 1, 15, 16, 31, 33]:
            for fl in (0, 0x8d5):
                cases.append((f"{op} {reg(size,'a')}, {reg(size,'b')}", 0x80018001, b, 0, 0, fl))
for op in ['daa','das','aaa','aas']:
    for a in [0x00, 0x09, 0x0a, 0x0f, 0x10, 0x99, 0x9a, 0xf9, 0xfa, 0xff, 0x1234, 0x0106]:
        for fl in (0, 0x01, 0x10, 0x11, 0x8d5):
            cases.append((op, a, 0, 0, 0, fl))
for op in ['aam','aad','aam 16','aad 7']:
    for a in [0, 0x3f, 0xff, 0x0909, 0x1234, 0xff80]:
        for fl in (0, 0x8d5):
            cases.append((op, a, 0, 0, 0, fl))
for op in ['neg','not','inc','dec']:
    for size in (8,16,32):
        for a in [0, 1, 0x7f, 0x80, 0xff, 0x8000, 0x7fffffff, 0x80000000, 0xffffffff]:
            for fl in (0, 0x8d5):
                cases.append((f"{op} {reg(size,'a')}", a, 0, 0, 0, fl))
for size in (8,16,32):
    for a,b in [(random.choice(vals32), random.choice(vals32)) for _ in range(6)]:
        m = (1 << size) - 1
        a1 = a & 0xffff if size == 8 else a
        dv = (b | 0x80) & m
        num = (a1 & 0xffff) if size == 8 else ((1 << size) | (a1 & m))
        if num // dv <= m:
            cases.append((f"div {reg(size,'b')}", a1, b | 0x80, 0, 0x1, 0x8d5))
        def sx(v, n): v &= (1 << n) - 1; return v - (1 << n) if v >> (n - 1) else v
        a2 = a & 0x7fff if size == 8 else a
        dv2 = sx(b | 0x180, size)
        num2 = sx(a2, 16) if size == 8 else sx(a2 & m, 2 * size)
        q = abs(num2) // abs(dv2) * (1 if (num2 < 0) == (dv2 < 0) else -1)
        if -(1 << (size - 1)) <= q < (1 << (size - 1)):
            cases.append((f"idiv {reg(size,'b')}", a2, b | 0x180, 0, 0, 0x8d5))
for op in ['xadd eax, ebx', 'cmpxchg ebx, ecx', 'salc', 'lahf', 'sahf', 'cbw', 'cwde', 'cwd', 'cdq', 'bswap eax']:
    for a,b in [(random.choice(vals32), random.choice(vals32)) for _ in range(4)]:
        for fl in (0, 0x8d5):
            cases.append((op, a, b, 0x77, 0, fl))
# Condition codes: SETcc and CMOVcc under every combination of the five
# status flags they read.
ccs = ['o','no','b','ae','e','ne','be','a','s','ns','p','np','l','ge','le','g']
for cc in ccs:
    for bits in range(32):
        fl = ((bits & 1) * 0x001) | ((bits >> 1 & 1) * 0x004) | ((bits >> 2 & 1) * 0x040) | \
             ((bits >> 3 & 1) * 0x080) | ((bits >> 4 & 1) * 0x800)
        cases.append((f"set{cc} al", 0x12345678, 0, 0, 0, fl))
    for bits in (0, 3, 9, 17, 24, 31, 5, 20):
        fl = ((bits & 1) * 0x001) | ((bits >> 1 & 1) * 0x004) | ((bits >> 2 & 1) * 0x040) | \
             ((bits >> 3 & 1) * 0x080) | ((bits >> 4 & 1) * 0x800)
        cases.append((f"cmov{cc} eax, ebx", 0x11111111, 0x22222222, 0, 0, fl))
CH = 1100
import sys
chunks = [cases[i:i+CH] for i in range(0, len(cases), CH)]
for ci, chunk in enumerate(chunks):
  lines = ['.intel_syntax noprefix', '.code16', '.org 0', 'start:', '  xor ax, ax', '  mov ss, ax', '  mov ds, ax', '  mov sp, 0x7000']
  for (insn, a, b, c, d, fl) in chunk:
    if insn == 'salc': insn = '.byte 0xd6'
    lines += [f'  mov eax, {a:#x}', f'  mov ebx, {b:#x}', f'  mov ecx, {c:#x}', f'  mov edx, {d:#x}',
              f'  push dword ptr {fl | 2:#x}', '  popfd', f'  {insn}', '  pushfd', '  push ebx', '  push edx', '  push eax', '  call dump']
  lines += ['  mov al, 0', '  out 0xf4, al', 'stop: hlt', '  jmp stop',
 'dump:', '  mov bp, sp', '  mov eax, [bp+2]', '  call out32', '  mov eax, [bp+6]', '  call out32', '  mov eax, [bp+10]', '  call out32', '  mov eax, [bp+14]', '  call out32', '  ret 16',
 'out32:', '  out 0xe9, al', '  shr eax, 8', '  out 0xe9, al', '  shr eax, 8', '  out 0xe9, al', '  shr eax, 8', '  out 0xe9, al', '  ret',
 '.org 0xfff0', '  ljmp 0xf000, start', '.org 0x10000']
  open(os.path.join(outdir, f'rom{ci}.s'),'w').write('\n'.join(lines) + '\n')
open(os.path.join(outdir, 'cases.txt'),'w').write('\n'.join(f"{c[0]} | a={c[1]:#x} b={c[2]:#x} c={c[3]:#x} d={c[4]:#x} fl={c[5]:#x}" for c in cases) + '\n')

