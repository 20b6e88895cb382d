#!/usr/bin/env python3
"""gen.py - generate the mmulab conformance corpus on qemu-system-i386.

Usage: gen.py --out tests/conformance/data --cases N --seed S [--jobs 2]

Each case is one instruction with random or enumerated operands, prefixes
and flags, run by single-stepping QEMU through its gdb stub (see rsp.py) in
one of the environments of machine.py. The result (registers, the memory
bytes that changed, the exception frame when it faulted) is written, with
undefined flags masked, to <out>/corpus-<job>.txt.gz. docs/conformance.md
describes the format. The output depends only on the seed and the case
count, so the corpus can be regenerated bit for bit.
"""
import argparse
import gzip
import io
import os
import random
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import machine as M                       # noqa: E402
from opcodes import SPECS, CF, PF, AF, ZF, SF, OF, ARITH   # noqa: E402
from rsp import RSP, RSPError             # noqa: E402

FORMAT_VERSION = 1
SEG_ORDER = ["es", "cs", "ss", "ds", "fs", "gs"]   # ModRM sreg order
GDB_SEG = {"cs": 10, "ss": 11, "ds": 12, "es": 13, "fs": 14, "gs": 15}
REG_CR0, REG_CR2, REG_CR3, REG_CR4 = 19, 20, 21, 22
EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI = range(8)
FAULT_VECTORS = {0, 5, 6, 10, 11, 12, 13, 14, 17}
ERRCODE_VECTORS = {8, 10, 11, 12, 13, 14, 17}

SPECIAL32 = [0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000,
             0x7FFFFFFF, 0x80000000, 0x80000001, 0xFFFFFFFF, 0xFFFFFFFE, 0x55555555, 0xAAAAAAAA]


# --------------------------------------------------------------------------
# Undefined-flag rules (Intel SDM vol. 2, "Flags Affected"). Each returns the
# EFLAGS bits whose value after the instruction is undefined.

def u_logic(c):
    return AF


def u_mul(c):
    return SF | ZF | AF | PF


def u_div(c):
    return ARITH


def u_daa(c):
    return OF


def u_aaa(c):
    return OF | SF | ZF | PF


def u_aam(c):
    return OF | AF | CF


def u_bt(c):
    return OF | SF | AF | PF


def u_bsf(c):
    return CF | OF | SF | AF | PF


def u_cx8(c):
    return 0


def u_shift(c):
    """SHL/SHR/SAR: AF always, OF unless count 1, CF of SHL/SHR when the
    count reaches the width. Rotates: OF unless count 1; for 8/16-bit ROL/ROR
    by a multiple of the width CF is masked too (QEMU leaves CF unchanged
    there, the SDM pseudo-code sets it from the result)."""
    count = c.shift_count & 0x1F
    if count == 0:
        return 0
    bits = c.opbits
    r = c.reg_field
    mask = 0
    if r in (4, 5, 6, 7):
        mask |= AF
        if count != 1:
            mask |= OF
        if r in (4, 5, 6) and count >= bits:
            mask |= CF
    else:
        if count != 1:
            mask |= OF
        if r in (0, 1) and bits < 32 and count % bits == 0:
            mask |= CF | OF
    return mask


def u_shld(c):
    count = c.shift_count & 0x1F
    if count == 0:
        return 0
    mask = AF
    if count != 1:
        mask |= OF
    return mask


UNDEF = {"logic": u_logic, "mul": u_mul, "div": u_div, "daa": u_daa, "aaa": u_aaa,
         "aam": u_aam, "bt": u_bt, "bsf": u_bsf, "cx8": u_cx8, "shift": u_shift,
         "shld": u_shld}


# --------------------------------------------------------------------------
# Case construction

class Case:
    """A case under construction: registers, segments, memory, bytes."""

    def __init__(self, rng, env, cpl, spec):
        self.rng, self.env, self.cpl, self.spec = rng, env, cpl, spec
        self.regs = [self.rand32() for _ in range(8)]
        self.mem = {}                 # physical address -> initial byte
        self.watch = []               # extra (addr, len) compared after the step
        self.regmask = {}             # reg -> bits compared
        self.memmask = {}             # addr -> bits ignored
        self.rep = False
        self.shift_count = 0
        self.reg_field = 0
        self.expect_ud = False
        self.mod = None
        self.ea_lin = None
        self.ea_regs = []
        self.imm_override = None
        self.drop = None
        self.locked = set()
        self.trap_ok = True
        self.setup_segments()
        flags = 0x2 | (rng.getrandbits(12) & (CF | PF | AF | ZF | SF | OF | 0x400 | 0x200))
        if env.pmode and rng.random() < 0.4:
            flags |= 0x3000
        self.eflags = flags
        if env.code32:
            self.eip = 0x10000 + rng.randrange(0, 0xF000)
        else:
            self.eip = rng.randrange(0x10, 0xF000)

    # ---- random values
    def rand32(self):
        r = self.rng.random()
        if r < 0.25:
            v = self.rng.choice(SPECIAL32)
            if self.rng.random() < 0.3:
                v = (v - 1) & 0xFFFFFFFF
            return v
        if r < 0.45:
            return self.rng.getrandbits(8)
        if r < 0.6:
            return self.rng.getrandbits(16)
        return self.rng.getrandbits(32)

    # ---- segments
    def setup_segments(self):
        env, rng = self.env, self.rng
        self.seg = {}
        if not env.pmode:
            self.seg["cs"] = 0x2000
            for s in ("ds", "es", "ss", "fs", "gs"):
                self.seg[s] = rng.choice([0x3000, 0x4000, 0x5000, 0x6000, 0x7000, 0x8000])
        elif not env.code32:
            if self.cpl == 0:
                self.seg["cs"], self.seg["ss"] = 0x30, 0x48
                pool = [0x38, 0x40, 0x50, 0x58, 0x48]
            else:
                self.seg["cs"], self.seg["ss"] = 0x63, 0x73
                pool = [0x6B, 0x73]
            for s in ("ds", "es", "fs", "gs"):
                self.seg[s] = rng.choice(pool)
            for s in ("fs", "gs"):
                if rng.random() < 0.05:
                    self.seg[s] = 0
        else:
            if self.cpl == 0:
                self.seg["cs"], self.seg["ss"] = 0x08, 0x10
                self.seg["ds"] = self.seg["es"] = 0x10
                fpool = [0x10, 0x80, 0x7B, 0x20]
            else:
                self.seg["cs"], self.seg["ss"] = 0x1B, 0x23
                self.seg["ds"] = self.seg["es"] = 0x23
                fpool = [0x23, 0x7B]
            for s in ("fs", "gs"):
                self.seg[s] = 0 if rng.random() < 0.05 else rng.choice(fpool)

    def use_high_segments(self):
        """32-bit environment with 16-bit addressing: point every data
        segment at a descriptor whose base is in the data window."""
        sel = 0x80 if self.cpl == 0 else 0x7B
        for s in ("ds", "es", "fs", "gs", "ss"):
            self.seg[s] = sel

    def base(self, s):
        sel = self.seg[s]
        if not self.env.pmode:
            return sel << 4
        if sel & ~3 == 0:
            return 0
        return M.seg_cache(sel)[0]

    def seg16(self, s):
        """Is segment s a 64 KiB segment (offsets must stay below 0xFF00)?"""
        if not self.env.pmode:
            return True
        sel = self.seg[s]
        if sel & ~3 == 0:
            return False
        return M.seg_cache(sel)[1] == 0xFFFF

    def stack32(self):
        return self.env.pmode and not self.seg16("ss")

    # ---- memory
    def put(self, lin, data):
        for i, b in enumerate(data):
            self.mem[(lin + i) & 0xFFFFFFFF] = b

    def put_random(self, lin, n):
        self.put(lin, bytes(self.rng.getrandbits(8) for _ in range(n)))

    def put_val(self, lin, size, val):
        self.put(lin, (val & ((1 << (8 * size)) - 1)).to_bytes(size, "little"))

    def pick_offset(self, s, span=32, small=None):
        """A random offset in segment s whose linear address lies in a data
        window (sometimes in a paging trap page). `small`: the offset must
        fit 16-bit addressing (default: when the address size is 16)."""
        if small is None:
            small = not getattr(self, "ad32", True)
        if self.seg16(s) or small:
            return self.rng.randrange(0x100 + span, 0xFF00 - span)
        if self.env.paging and self.trap_ok and self.rng.random() < 0.12:
            lin = self.rng.choice(M.TRAP_PAGES) + self.rng.randrange(0, 0x1000)
        else:
            lin = self.rng.randrange(0x100000 + span, 0x3E0000 - span)
        return (lin - self.base(s)) & 0xFFFFFFFF

    def lin(self, s, off):
        if self.seg16(s):
            off &= 0xFFFF
        return (self.base(s) + off) & 0xFFFFFFFF

    # ---- registers
    def set_reg(self, r, size, val):
        if (r & 3 if size == 1 else r) in self.locked:
            return                    # the register forms the memory operand's address
        if size == 1:
            shift = 8 if r >= 4 else 0
            r &= 3
            self.regs[r] = (self.regs[r] & ~(0xFF << shift)) | ((val & 0xFF) << shift)
        elif size == 2:
            self.regs[r] = (self.regs[r] & 0xFFFF0000) | (val & 0xFFFF)
        else:
            self.regs[r] = val & 0xFFFFFFFF

    def get_reg(self, r, size):
        if size == 1:
            return (self.regs[r & 3] >> (8 if r >= 4 else 0)) & 0xFF
        return self.regs[r] & ((1 << (8 * size)) - 1)

    def set_rm(self, size, val):
        if self.mod == 3:
            self.set_reg(self.rm, size, val)
        else:
            self.put_val(self.ea_lin, size, val)

    def get_rm(self, size):
        if self.mod == 3:
            return self.get_reg(self.rm, size)
        return int.from_bytes(bytes(self.mem.get(self.ea_lin + i, 0) for i in range(size)), "little")

    def set_sp(self, off):
        if self.stack32():
            self.regs[ESP] = off & 0xFFFFFFFF
        else:
            self.regs[ESP] = (self.regs[ESP] & 0xFFFF0000) | (off & 0xFFFF)

    def sp_lin(self, delta=0):
        sp = self.regs[ESP] if self.stack32() else self.regs[ESP] & 0xFFFF
        return self.lin("ss", sp + delta)

    def push_slots(self, vals, size):
        """Lay out values to be popped: vals[0] at the top of the stack."""
        for i, v in enumerate(vals):
            self.put_val(self.sp_lin(i * size), size, v)

    def valid_data_sel(self):
        if not self.env.pmode:
            return self.rng.choice([0x3000, 0x4000, 0x5000, 0x6000, 0x7000, 0x8000, self.rng.getrandbits(16)])
        if self.cpl == 3:
            pool = [0x23, 0x7B, 0x6B, 0x73] if self.env.code32 else [0x6B, 0x73]
        else:
            pool = [0x10, 0x80, 0x20, 0x38, 0x40, 0x48, 0x50, 0x58] if self.env.code32 \
                else [0x38, 0x40, 0x48, 0x50, 0x58]
        r = self.rng.random()
        if r < 0.75:
            return self.rng.choice(pool)
        if r < 0.85:
            return self.rng.choice([0, 1, 2, 3])
        return self.rng.randrange(0, 0xC8) if self.rng.random() < 0.8 else self.rng.getrandbits(16)

    def valid_code_sel(self):
        if not self.env.pmode:
            return self.rng.getrandbits(16)
        same = {0: [0x08, 0x30, 0x88], 3: [0x1B, 0x63]}[self.cpl]
        r = self.rng.random()
        if r < 0.7:
            return self.rng.choice(same)
        if r < 0.85:
            return self.rng.choice([0x08, 0x1B, 0x30, 0x63, 0x88, 0xA0, 0xB0, 0x10])
        return self.rng.randrange(0, 0xC8)


# --------------------------------------------------------------------------
# Operand steering hooks. pre_* run before the memory operand is placed,
# post_* after (so they can write the operand's value).

def opsize(c):
    return 4 if c.op32 else 2


def h_pre_muldiv(c):
    if c.reg_field in (6, 7) and c.rng.random() < 0.6:
        size = c.opbits // 8
        # Keep the high half below the divisor so the quotient usually fits.
        if size == 1:
            c.set_reg(EAX, 2, c.rng.getrandbits(12))
        else:
            c.set_reg(EDX, size, c.rng.getrandbits(8 * size - 4) >> c.rng.randrange(0, 8 * size - 4))


def h_post_muldiv(c):
    if c.reg_field in (6, 7) and c.rng.random() < 0.6:
        size = c.opbits // 8
        v = c.rng.getrandbits(8 * size) | (1 << (8 * size - 1 - c.rng.randrange(0, 3)))
        if c.rng.random() < 0.05:
            v = 0
        c.set_rm(size, v)


def h_pre_shift(c):
    if c.spec.op[0] in (0xD2, 0xD3):
        cnt = c.rng.choice([0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33]) if c.rng.random() < 0.5 \
            else c.rng.randrange(0, 64)
        c.set_reg(ECX, 1, cnt)


def h_imm_shift(c):
    return c.rng.choice([0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 255]) if c.rng.random() < 0.5 \
        else c.rng.randrange(0, 64)


def h_pre_shld(c):
    bits = c.opbits
    limit = 16 if bits == 16 else 31
    cnt = c.rng.choice([0, 1, 2, limit - 1, limit]) if c.rng.random() < 0.4 else c.rng.randrange(0, limit + 1)
    if c.spec.op[1] in (0xA5, 0xAD):
        c.set_reg(ECX, 1, cnt | (c.rng.getrandbits(2) << 5 if bits == 32 else 0))
    else:
        c.imm_override = [cnt]


def h_pre_aam(c):
    c.imm_override = [c.rng.choice([10, 10, 10, 0, 16, 7, c.rng.getrandbits(8)])]


def h_pre_loop(c):
    if c.rng.random() < 0.4:
        c.set_reg(ECX, 4 if c.ad32 else 2, c.rng.choice([0, 1, 2]))


def h_post_bound(c):
    size = opsize(c)
    lo = c.rng.getrandbits(8 * size)
    hi = c.rng.getrandbits(8 * size)
    if c.rng.random() < 0.5:
        lo, hi = sorted((lo, hi)) if size == 4 else (min(lo, hi), max(lo, hi))
        idx = c.rng.randrange(lo, hi + 1) if c.rng.random() < 0.6 else c.rng.getrandbits(8 * size)
        c.set_reg(c.reg, size, idx)
    c.put_val(c.ea_lin, size, lo)
    c.put_val(c.ea_lin + size, size, hi)


def h_post_push_seg(c):
    if opsize(c) == 4:
        # The upper half of a 32-bit push of a segment register is written
        # either as zero or not at all (SDM PUSH): not compared.
        lin = c.sp_lin(-4)
        c.memmask[(lin + 2) & 0xFFFFFFFF] = 0xFF
        c.memmask[(lin + 3) & 0xFFFFFFFF] = 0xFF


def h_post_pop_seg(c):
    c.push_slots([c.valid_data_sel() | (c.rng.getrandbits(16) << 16 if opsize(c) == 4 else 0)], opsize(c))


def h_pre_mov_to_seg(c):
    if c.reg_field == 1 or c.reg_field > 5:
        c.expect_ud = True


def h_post_mov_to_seg(c):
    c.set_rm(2, c.valid_data_sel())


def h_post_mov_from_seg(c):
    if c.mod == 3 and opsize(c) == 4:
        pass
    if c.reg_field > 5:
        c.expect_ud = True


def h_post_popf(c):
    v = c.rng.getrandbits(32) & ~0x20100   # VM and TF clear (TF would trap)
    if c.rng.random() < 0.8:
        v &= 0x3FFFFF & ~0x4000      # keep NT clear mostly
    c.push_slots([v], opsize(c))


def h_post_moffs(c):
    pass


def h_pre_string(c):
    rng = c.rng
    size = 1 if c.spec.width == "b" else opsize(c)
    count = rng.choice([0, 1, 2, 3, 5, 8]) if c.rep else 1
    adsz = 4 if c.ad32 else 2
    if c.rep:
        c.set_reg(ECX, adsz, count)
    span = count * size + 16
    src = c.seg_override or "ds"
    cmps = c.spec.op[0] in (0xA6, 0xA7)
    for reg, seg in ((ESI, src), (EDI, "es")):
        off = c.pick_offset(seg, span)
        if cmps and reg == ESI and (c.lin(seg, off) & ~0xFFF) in M.TRAP_PAGES:
            # The order of CMPS's two reads is not architectural (QEMU reads
            # ES:EDI first, Bochs DS:ESI): at most one operand may fault.
            c.trap_ok = False
        c.set_reg(reg, adsz, off)
        c.put_random(c.lin(seg, (off - span) & (0xFFFFFFFF if adsz == 4 else 0xFFFF)), 2 * span)
    c.trap_ok = True
    if c.spec.op[0] in (0xA6, 0xA7, 0xAE, 0xAF) and rng.random() < 0.5:
        # Make the compared strings equal for a while so REPE runs on.
        pass
    if c.spec.op[0] in (0x6C, 0x6D):
        c.set_reg(EDX, 2, rng.getrandbits(16))


def h_post_string(c):
    rng = c.rng
    size = 1 if c.spec.width == "b" else opsize(c)
    op = c.spec.op[0]
    adsz = 4 if c.ad32 else 2
    if op in (0xA6, 0xA7, 0xAE, 0xAF) and rng.random() < 0.5:
        src = c.seg_override or "ds"
        si = c.get_reg(ESI, adsz)
        di = c.get_reg(EDI, adsz)
        n = rng.randrange(1, 8)
        for i in range(n * size):
            step = -i if c.eflags & 0x400 else i
            b = rng.getrandbits(8)
            if op in (0xA6, 0xA7):
                c.put(c.lin(src, si + step), bytes([b]))
            c.put(c.lin("es", di + step), bytes([b if op in (0xA6, 0xA7) else (c.regs[EAX] >> (8 * (i % size))) & 0xFF]))


def h_pre_xlat(c):
    seg = c.seg_override or "ds"
    off = c.pick_offset(seg, 300)
    adsz = 4 if c.ad32 else 2
    c.set_reg(EBX, adsz, off)
    c.put_random(c.lin(seg, off), 256)


def h_pre_enter(c):
    level = c.rng.choice([0, 0, 1, 2, 3, 5, 31, 32])
    size = c.rng.choice([0, 4, 8, 16, 0x40])
    c.imm_override = [size, level]
    bp_off = (c.regs[ESP] + c.rng.randrange(0, 64)) & 0xFFFFFFFF
    if c.stack32():
        c.regs[EBP] = bp_off
    else:
        c.set_reg(EBP, 2, bp_off)
    sp = c.regs[ESP] if c.stack32() else c.regs[ESP] & 0xFFFF
    c.put_random(c.lin("ss", bp_off - 4 * 33), 4 * 34)
    c.put_random(c.lin("ss", sp - 4 * 40 - size), 4 * 40 + size)


def h_pre_leave(c):
    bp_off = (c.regs[ESP] + c.rng.randrange(0, 64)) & (0xFFFFFFFF if c.stack32() else 0xFFFF)
    c.set_reg(EBP, 4 if c.stack32() else 2, bp_off)
    c.put_random(c.lin("ss", bp_off), 8)


def h_post_load_far(c):
    size = opsize(c)
    op = c.spec.op
    if op == b"\x0f\xb2":
        sel = c.valid_data_sel() if c.rng.random() < 0.3 else c.seg["ss"] if c.rng.random() < 0.5 \
            else c.rng.choice([0x10, 0x23, 0x48, 0x73, 0x80, 0x7B, 0x90, 0x98]) if c.env.pmode \
            else c.rng.getrandbits(16)
    else:
        sel = c.valid_data_sel()
    c.put_val(c.ea_lin + size, 2, sel)
    if c.mod == 3:
        c.expect_ud = True


def far_offset(c, sel, size):
    """Offset for a far transfer to sel. QEMU checks the target against
    the limit of a 16-bit code segment late (after pushing) and with the
    wrong error code, so offsets stay inside the 64 KiB limit there."""
    off = c.rng.getrandbits(8 * size)
    if c.rng.random() < 0.7:
        off &= 0xFFFF if size == 2 else 0x1FFFF
        off |= 0x1000
    if c.env.pmode and (sel & ~7) in M.GDT and M.seg_cache(sel)[1] == 0xFFFF:
        off &= 0xFFFF
    return off


def h_far_ptr(c):
    sel = c.valid_code_sel()
    off = far_offset(c, sel, 4 if c.op32 else 2)
    c.imm_override = [off, sel]


def h_post_far_indirect(c):
    size = opsize(c)
    sel = c.valid_code_sel()
    c.put_val(c.ea_lin, size, far_offset(c, sel, size))
    c.put_val(c.ea_lin + size, 2, sel)


def h_post_retf(c):
    size = opsize(c)
    sel = c.valid_code_sel()
    vals = [c.rng.getrandbits(16) | 0x1000, sel]
    if c.env.pmode and c.cpl == 0 and c.rng.random() < 0.3:
        # Return to an outer level: CS, then SS:ESP from the stack.
        vals[1] = c.rng.choice([0x1B, 0x63])
        imm = c.imm_override[0] if c.imm_override else 0
        # immediate: stack bytes released before popping SS:ESP
        pad = [0] * (imm // size)
        vals += pad + [c.rng.randrange(0x380000, 0x3C0000) if size == 4 else 0x8000,
                       0x23 if vals[1] == 0x1B else 0x73]
    c.push_slots(vals, size)


def h_pre_retf(c):
    if c.spec.op[0] == 0xCA:
        c.imm_override = [c.rng.choice([0, 2, 4, 8])]


def h_post_iret(c):
    size = opsize(c)
    # VM stays clear: QEMU 7.2 honours the image's VM bit even at CPL 3
    # (the SDM ignores it there), and after a return to virtual-8086 mode its
    # gdb stub leaves stale mode flags behind that corrupt the next case.
    # RF stays clear too: QEMU drops the popped RF at the end of the step,
    # where a P6 keeps it until the next instruction retires. So do VIF and
    # VIP: QEMU never loads them on IRET, the SDM does at CPL 0.
    fl = c.rng.getrandbits(32) & 0x3F7ED5 & ~0x1B0000 | 0x2
    if c.rng.random() < 0.9:
        fl &= ~0x4000                  # NT clear (mostly)
    sel = c.valid_code_sel()
    vals = [c.rng.getrandbits(16) | 0x1000, sel, fl]
    if c.env.pmode and c.cpl == 0 and c.rng.random() < 0.3:
        vals[1] = c.rng.choice([0x1B, 0x63])
        vals += [c.rng.randrange(0x380000, 0x3C0000) if size == 4 else 0x8000,
                 0x23 if vals[1] == 0x1B else 0x73]
    c.push_slots(vals, size)


def h_pre_int_n(c):
    r = c.rng.random()
    if r < 0.3:
        v = 0x80
    elif r < 0.4:
        v = c.rng.randrange(0x40, 0x50)
    elif r < 0.5:
        v = c.rng.randrange(0x90, 0xB0)
    else:
        v = c.rng.getrandbits(8)
    if v == 1:
        v = 0x21                         # INT 1 interferes with the gdb stub
    c.imm_override = [v]


def h_pre_into(c):
    if c.rng.random() < 0.5:
        c.eflags |= OF


def h_pre_ret_near(c):
    if c.spec.op[0] == 0xC2:
        c.imm_override = [c.rng.choice([0, 2, 4, 6, 8, 0x10])]


def h_post_ret_near(c):
    size = opsize(c)
    v = c.rng.getrandbits(8 * size)
    if not c.env.code32 or c.rng.random() < 0.5:
        v &= 0xFFFF
    c.push_slots([v], size)


def h_post_near_indirect(c):
    size = opsize(c)
    v = c.rng.getrandbits(8 * size)
    if not c.env.code32:
        v &= 0xFFFF
    c.set_rm(size, v)


def h_pre_io_gp(c):
    c.eflags &= ~0x3000                 # IOPL 0 < CPL 3: #GP(0)
    if c.spec.string:
        c.rep = c.rep and False


def h_pre_iopl(c):
    if c.env.pmode and c.rng.random() < 0.5:
        c.eflags ^= 0x3000


def h_post_sel_operand(c):
    r = c.rng.random()
    if r < 0.7:
        sel = c.rng.randrange(0, 0xC8) & ~3 | c.rng.getrandbits(2)
    elif r < 0.8:
        sel = c.rng.choice([0, 1, 2, 3])
    else:
        sel = c.rng.getrandbits(16)
    c.set_rm(2, sel)
    if not c.env.pmode:
        c.expect_ud = True


def h_pre_mov_cr(c):
    if c.reg_field in (1, 5, 6, 7):
        c.expect_ud = True
        if c.cpl == 3:
            # #UD or #GP first? The SDM does not order them: avoid.
            c.reg = c.reg_field = c.rng.choice([0, 2, 3, 4])
            c.expect_ud = False


def h_post_smsw(c):
    if c.mod == 3 and opsize(c) == 4:
        c.regmask[c.rm] = 0xFFFF        # upper half undefined (SDM SMSW)


def h_post_bt_reg(c):
    if c.mod != 3:
        if c.reg in c.locked:
            c.drop = "bt-offset-in-address"   # the bit offset would move the access anywhere
            return
        size = opsize(c)
        v = c.rng.randrange(-64, 64) & ((1 << (8 * size)) - 1)
        c.set_reg(c.reg, size, v)


def h_post_bsf(c):
    if c.rng.random() < 0.15:
        c.set_rm(opsize(c), 0)
    if c.get_rm(opsize(c)) == 0:
        c.regmask[c.reg] = 0           # destination undefined for a zero source
    elif c.rng.random() < 0.5:
        c.set_rm(opsize(c), 1 << c.rng.randrange(0, 8 * opsize(c)))


def h_post_cmpxchg(c):
    size = 1 if c.spec.width == "b" else opsize(c)
    if c.rng.random() < 0.5:
        c.set_reg(EAX, size, c.get_rm(size))


def h_post_cmpxchg8b(c):
    if c.rng.random() < 0.5:
        c.put_val(c.ea_lin, 4, c.regs[EAX])
        c.put_val(c.ea_lin + 4, 4, c.regs[EDX])


def h_pre_hint(c):
    if c.mod == 3 and c.spec.op[1] == 0x18 and c.reg_field < 4:
        # PREFETCHh has no register form: QEMU raises #UD, a P6 (which
        # predates PREFETCHh) executes the whole 0F 18 row as a hint NOP.
        c.mod = c.rng.choice([0, 1, 2])


def h_post_mask_regs(c):
    """CPUID and RDTSC results are model- and time-specific: only the
    absence of a fault, EIP and flags are compared."""
    regs = (EAX, EDX) if c.spec.op[1] == 0x31 else (EAX, ECX, EDX, EBX)
    for r in regs:
        c.regmask[r] = 0


HOOKS_PRE = {"hint": h_pre_hint, "muldiv": h_pre_muldiv, "shift": h_pre_shift, "shld": h_pre_shld, "aam": h_pre_aam,
             "loop": h_pre_loop, "mov_to_seg": h_pre_mov_to_seg, "string": h_pre_string,
             "xlat": h_pre_xlat, "enter": h_pre_enter, "leave": h_pre_leave, "far_ptr": h_far_ptr,
             "retf": h_pre_retf, "int_n": h_pre_int_n, "into": h_pre_into, "io_gp": h_pre_io_gp,
             "iopl": h_pre_iopl, "mov_cr": h_pre_mov_cr, "ret_near": h_pre_ret_near}
HOOKS_POST = {"cpuid": h_post_mask_regs, "rdtsc": h_post_mask_regs, "muldiv": h_post_muldiv, "bound": h_post_bound, "push_seg": h_post_push_seg,
              "pop_seg": h_post_pop_seg, "mov_to_seg": h_post_mov_to_seg,
              "mov_from_seg": h_post_mov_from_seg, "popf": h_post_popf, "string": h_post_string,
              "load_far": h_post_load_far, "far_indirect": h_post_far_indirect, "retf": h_post_retf,
              "iret": h_post_iret, "ret_near": h_post_ret_near, "near_indirect": h_post_near_indirect,
              "sel_operand": h_post_sel_operand, "smsw": h_post_smsw, "bt_reg": h_post_bt_reg,
              "bsf": h_post_bsf, "cmpxchg": h_post_cmpxchg, "cmpxchg8b": h_post_cmpxchg8b}


# --------------------------------------------------------------------------
# Encoding

STACK_GROUPS = {"stack", "call", "ret", "far", "iret", "enter", "flags", "int"}
SEG_PREFIX = {"es": 0x26, "cs": 0x2E, "ss": 0x36, "ds": 0x3E, "fs": 0x64, "gs": 0x65}
LOCK_OK_GROUPS = {"alu", "incdec", "xchg", "bitops", "atomic"}


def build_case(rng, env, cpl, spec):
    """Build one case (state, memory, instruction bytes) for spec."""
    c = Case(rng, env, cpl, spec)
    code32 = env.code32
    # ---- prefixes
    p66 = not spec.no66 and rng.random() < 0.3
    if spec.group == "bswap":
        p66 = not code32                  # BSWAP of a 16-bit register is undefined
    p67 = rng.random() < (0.3 if (spec.modrm or spec.string or "a" in spec.imm or spec.hook in ("xlat", "loop")) else 0.05)
    if spec.branch and not code32:
        p66 = False                       # 16-bit code: EIP beyond 0xFFFF, QEMU skips the limit check
    if spec.hook in ("enter", "leave"):
        p66 = False                       # QEMU mishandles ENTER with operand size != stack size
    c.op32 = code32 != p66
    c.ad32 = code32 != p67
    c.opbits = 8 if spec.width == "b" else 16 if spec.width == "w" else (32 if c.op32 else 16)
    c.seg_override = None
    if rng.random() < 0.3 and spec.hook not in ("io_gp",):
        c.seg_override = rng.choice(SEG_ORDER)
    if env.code32 and not c.ad32:
        c.use_high_segments()
    if c.seg_override and env.pmode and c.seg[c.seg_override] & ~3 == 0:
        # QEMU does not fault on accesses through a null selector.
        c.seg_override = "ds"
    if env.pmode and c.seg_override == "cs":
        # QEMU does not check segment rights on access (a write through CS
        # succeeds there, #GP on silicon): no CS overrides in protected mode.
        c.seg_override = "ds"
    if spec.string:
        c.rep = rng.random() < 0.6 and spec.hook != "io_gp"
    lock = False
    if spec.lock and spec.modrm and rng.random() < 0.3:
        lock = True
    elif rng.random() < 0.015:
        lock = True
    prefixes = []
    if p66:
        prefixes.append(0x66)
    if p67:
        prefixes.append(0x67)
    if c.seg_override:
        prefixes.append(SEG_PREFIX[c.seg_override])
    if c.rep:
        prefixes.append(rng.choice([0xF2, 0xF3]))
    elif rng.random() < 0.02 and spec.op[0] not in (0x0F, 0x90, 0xD6, 0x9B) and not spec.string:
        prefixes.append(rng.choice([0xF2, 0xF3]))   # ignored on non-string ops
    if lock:
        prefixes.append(0xF0)
    rng.shuffle(prefixes)
    if rng.random() < 0.03 and prefixes:
        prefixes.insert(0, prefixes[0])              # a repeated prefix

    # ---- stack pointer in its window
    c.trap_ok = spec.group not in ("far", "iret")
    sp = c.pick_offset("ss", 64, small=not c.stack32())
    c.trap_ok = True
    if rng.random() < 0.8:
        sp &= ~3
    c.set_sp(sp)
    if rng.random() < 0.3:
        c.regs[EBP] = (c.regs[ESP] + rng.randrange(-32, 32)) & 0xFFFFFFFF

    # ---- ModRM fields
    body = list(spec.op)
    if spec.modrm:
        regf, modk = spec.modrm
        reg = rng.randrange(8) if regf == "r" else regf
        if modk == "mem":
            mod = rng.choice([0, 1, 2])
        elif modk == "reg":
            mod = 3
        else:
            mod = 3 if rng.random() < 0.4 else rng.choice([0, 1, 2])
        if modk == "mem" and rng.random() < 0.04:
            mod = 3                            # register form of a memory-only op: #UD
        c.mod, c.reg, c.reg_field = mod, reg, reg
        c.rm = rng.randrange(8)
    if lock and spec.group == "bitops" and c.mod == 3:
        # QEMU 7.2 aborts on LOCK BT*/BTS/BTR/BTC with a register operand;
        # the #UD such a form raises is covered by the other LOCK cases.
        return None
    if spec.hook in ("shift",) and spec.modrm:
        c.reg_field = spec.modrm[0]
    if spec.hook in HOOKS_PRE:
        HOOKS_PRE[spec.hook](c)

    # ---- memory operand: pick a target offset, solve registers for it
    modrm_bytes = []
    if spec.modrm:
        mod, reg, rm = c.mod, c.reg, c.rm
        if mod == 3:
            modrm_bytes = [(mod << 6) | (reg << 3) | rm]
        else:
            modrm_bytes = encode_mem(c, mod, reg)
    body += modrm_bytes

    # ---- immediates
    imms = list(c.imm_override) if c.imm_override is not None else None
    k = 0
    for kind in spec.imm:
        if kind == "b":
            if imms is not None and k < len(imms):
                v = imms[k]
            elif spec.hook == "shift":
                v = h_imm_shift(c)
            else:
                v = c.rand32()
            body += [v & 0xFF]
            if spec.hook == "shift":
                c.shift_count = v
        elif kind == "w":
            v = imms[k] if imms is not None and k < len(imms) else c.rand32()
            body += list((v & 0xFFFF).to_bytes(2, "little"))
        elif kind == "z":
            v = imms[k] if imms is not None and k < len(imms) else c.rand32()
            body += list((v & (0xFFFFFFFF if c.op32 else 0xFFFF)).to_bytes(4 if c.op32 else 2, "little"))
        elif kind == "a":
            seg = c.seg_override or "ds"
            off = c.pick_offset(seg, 32)
            c.ea_lin = c.lin(seg, off)
            c.put_random(c.ea_lin - 8, 32)
            body += list((off & (0xFFFFFFFF if c.ad32 else 0xFFFF)).to_bytes(4 if c.ad32 else 2, "little"))
        elif kind == "p":
            off, sel = imms
            body += list((off & (0xFFFFFFFF if c.op32 else 0xFFFF)).to_bytes(4 if c.op32 else 2, "little"))
            body += list((sel & 0xFFFF).to_bytes(2, "little"))
            k += 1
        k += 1
    if spec.hook == "shift" and spec.op[0] in (0xD0, 0xD1):
        c.shift_count = 1
    elif spec.hook == "shift" and spec.op[0] in (0xD2, 0xD3):
        c.shift_count = c.regs[ECX] & 0xFF
    elif spec.hook == "shld":
        c.shift_count = body[-1] if spec.op[1] in (0xA4, 0xAC) else c.regs[ECX] & 0xFF

    # ---- stack bytes, then operand values; from here on the registers
    # that address memory keep their values.
    c.locked = set(c.ea_regs) | {ESP}
    if spec.group in STACK_GROUPS or (spec.hook in ("push_seg", "pop_seg")):
        c.put_random(c.sp_lin(-32), 64)
    else:
        c.watch.append((c.sp_lin(-32), 32))   # exception frames land here
    if c.regs[EBP] != c.regs[ESP] and spec.modrm and spec.hook == "leave":
        pass
    if spec.modrm and spec.modrm[1] == "mem" and c.mod == 3:
        c.expect_ud = True                     # register form of a memory-only op
    elif spec.hook in HOOKS_POST:
        HOOKS_POST[spec.hook](c)

    insn = bytes(prefixes + body)
    if len(insn) > 15 or c.drop:
        return None
    c.insn = insn
    c.lock = lock
    c.put(c.lin("cs", c.eip), insn)
    if env.pmode and cpl == 3:
        c.watch.append((M.RING0_ESP - 0x40, 0x40))
    return c


def encode_mem(c, mod, reg):
    """Encode a memory ModRM (with SIB and displacement) and choose the
    registers so the effective address lands on a fresh target offset."""
    rng = c.rng
    rm = c.rm
    if mod == 3:
        raise ValueError
    out = []
    terms = []          # registers in the address (with scale)
    disp_size = 0
    default_seg = "ds"
    if not c.ad32:
        table = {0: (EBX, ESI), 1: (EBX, EDI), 2: (EBP, ESI), 3: (EBP, EDI),
                 4: (ESI,), 5: (EDI,), 6: (EBP,), 7: (EBX,)}
        if mod == 0 and rm == 6:
            terms = []
            disp_size = 2
        else:
            terms = [(r, 1) for r in table[rm]]
            disp_size = {0: 0, 1: 1, 2: 2}[mod]
            if rm in (2, 3, 6):
                default_seg = "ss"
        out.append((mod << 6) | (reg << 3) | rm)
        mask = 0xFFFF
    else:
        mask = 0xFFFFFFFF
        if rm == 4:
            scale = rng.randrange(4)
            index = rng.randrange(8)
            base = rng.randrange(8)
            out.append((mod << 6) | (reg << 3) | 4)
            out.append((scale << 6) | (index << 3) | base)
            if index != 4:
                terms.append((index, 1 << scale))
            if base == 5 and mod == 0:
                disp_size = 4
            else:
                terms.append((base, 1))
                if base in (ESP, EBP):
                    default_seg = "ss"
                disp_size = {0: 0, 1: 1, 2: 4}[mod]
        elif rm == 5 and mod == 0:
            out.append((mod << 6) | (reg << 3) | rm)
            disp_size = 4
        else:
            out.append((mod << 6) | (reg << 3) | rm)
            terms.append((rm, 1))
            if rm == EBP:
                default_seg = "ss"
            disp_size = {0: 0, 1: 1, 2: 4}[mod]
    seg = c.seg_override or default_seg
    target = c.pick_offset(seg, 48)
    disp = 0
    if disp_size == 1:
        disp = rng.randrange(-128, 128)
    elif disp_size:
        disp = c.rand32() & ((1 << (8 * disp_size)) - 1)
        if disp_size == 2 and disp >= 0x8000:
            disp -= 0x10000
    # Solve: sum(coef * reg) + disp == target (mod 2^addrsize).
    coef = {}
    for r, s in terms:
        coef[r] = coef.get(r, 0) + s
    free = [r for r, k in coef.items() if k == 1]
    if ESP in coef:
        # The stack pointer must stay in its window: make the other terms
        # small and solve for ESP itself.
        for q in coef:
            if q != ESP:
                c.regs[q] = (c.regs[q] & ~mask) | rng.randrange(0, 64)
        free = [ESP] if ESP in free else free
    regval = lambda r: c.regs[r] & mask
    if free:
        r = rng.choice(free)
        rest = sum(k * regval(q) for q, k in coef.items() if q != r) + disp
        val = (target - rest) & mask
        if mask == 0xFFFF:
            c.regs[r] = (c.regs[r] & 0xFFFF0000) | val
        else:
            c.regs[r] = val
    elif disp_size >= 2:
        rest = sum(k * regval(q) for q, k in coef.items())
        disp = (target - rest) & mask
    elif coef:
        r, k = next(iter(coef.items()))
        val = ((target - disp) // k) & mask
        if mask == 0xFFFF:
            c.regs[r] = (c.regs[r] & 0xFFFF0000) | val
        else:
            c.regs[r] = val
    else:
        disp = target
    ea = (sum(k * regval(q) for q, k in coef.items()) + disp) & mask
    c.ea_seg = seg
    c.ea_regs = list(coef)
    c.ea_lin = c.lin(seg, ea)
    c.put_random(c.ea_lin - 8, 32)
    if disp_size:
        out += list((disp & ((1 << (8 * disp_size)) - 1)).to_bytes(disp_size, "little"))
    return out


# --------------------------------------------------------------------------
# Running cases on QEMU

def spans(addrs):
    """Sorted addresses -> list of (start, length) runs."""
    out = []
    for a in sorted(addrs):
        if out and out[-1][0] + out[-1][1] == a:
            out[-1][1] += 1
        else:
            out.append([a, 1])
    return [(a, n) for a, n in out]


class Worker:
    def __init__(self, port):
        self.port = port
        self.proc = subprocess.Popen(
            ["qemu-system-i386", "-S", "-gdb", "tcp:127.0.0.1:%d" % port, "-m", "4",
             "-cpu", "qemu32", "-display", "none", "-nodefaults", "-monitor", "none",
             "-serial", "none", "-accel", "tcg"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                self.rsp = RSP(port)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("qemu gdb stub did not come up on port %d" % port)
        if self.rsp.cmd("Qqemu.PhyMemMode:1") != "OK":
            raise RuntimeError("QEMU lacks physical memory mode")
        self.envmem = M.build_memory()
        self.rsp.write_mem(0, bytes(self.envmem))
        self.cur_env = None
        self.cr2 = 0
        self.snap = {}

    def close(self):
        self.rsp.close()
        self.proc.kill()
        self.proc.wait()

    def regs16(self):
        return list(struct.unpack("<16I", self.rsp.read_regs()[:64]))

    def write16(self, vals):
        self.rsp.write_regs(struct.pack("<16I", *[v & 0xFFFFFFFF for v in vals]))

    def enter_env(self, env):
        """Switch QEMU into env by register writes plus a few stepped setup
        instructions (LGDT/LIDT/LTR), then snapshot the environment bytes."""
        r = self.rsp
        r.write_mem(0, bytes(self.envmem))     # fresh tables, TSS not busy
        r.write_reg(REG_CR0, M.CR0_REAL)
        r.write_reg(REG_CR3, env.cr3())
        regs = [0] * 16
        regs[8], regs[9], regs[10] = 0, 0x2, M.SETUP_CODE >> 4
        regs[11] = regs[12] = regs[13] = regs[14] = regs[15] = 0
        regs[4] = 0x7F00
        self.write16(regs)
        r.step()                                # lgdt
        r.step()                                # lidt (protected-mode IDT)
        if not env.pmode:
            r.step()                            # lidt (real-mode IVT)
        else:
            r.write_reg(REG_CR3, env.cr3())
            r.write_reg(REG_CR0, env.cr0)
            regs[10], regs[11], regs[12], regs[13], regs[14], regs[15] = 0x08, 0x10, 0x10, 0x10, 0x10, 0x10
            regs[8] = M.SETUP_CODE + 0x20
            regs[4] = 0x8000
            self.write16(regs)
            for _ in range(4):
                r.step()                        # ltr ax; lldt (null)
        got = self.regs16()
        expect_eip = (M.SETUP_CODE + 0x2D) if env.pmode else 15
        if got[8] != expect_eip:
            raise RuntimeError("setup of %s failed: eip %#x" % (env.name, got[8]))
        r.write_reg(REG_CR2, 0)
        self.cr2 = 0
        self.cur_env = env
        self.cur_sel = {}
        snap = r.read_mem(0, 0xA000)
        self.base_mem = bytearray(snap)
        return snap

    def run(self, c):
        """Run case c; return the result dict, or None to drop it."""
        r = self.rsp
        env = c.env
        for a, n in spans(c.mem.keys()):
            r.write_mem(a, bytes(c.mem[a + i] for i in range(n)))
        if env.paging:
            r.write_reg(REG_CR3, env.cr3())    # also flushes QEMU's TLB
        if self.cr2:
            r.write_reg(REG_CR2, 0)
            self.cr2 = 0
        regs = c.regs + [c.eip, c.eflags] + [c.seg[s] for s in ("cs", "ss", "ds", "es", "fs", "gs")]
        self.write16(regs)
        reply = r.step()
        final = self.regs16()
        cr0 = r.read_reg(REG_CR0)
        if (env.pmode and not cr0 & 1) or (final[10] == 0xF000 and final[2] == 0x663):
            # Triple fault: QEMU reset the machine. Only the shutdown is
            # recorded; the caller re-enters the environment.
            for a, n in spans(c.mem.keys()):
                r.write_mem(a, bytes(n))
            return {"shutdown": True}
        steps = 1
        if c.rep:
            while final[8] == c.eip and final[10] == c.seg["cs"] and steps < 40:
                r.step()
                final = self.regs16()
                steps += 1
            if final[8] == c.eip and final[10] == c.seg["cs"]:
                return None
        if not reply.startswith("T") and not reply.startswith("S"):
            return None
        cr2 = r.read_reg(REG_CR2) if env.paging else 0
        self.cr2 = cr2
        # Watched memory: the case's own bytes, extra regions, GDT, page table.
        watch = set(c.mem.keys())
        for a, n in c.watch:
            watch.update(range(a, a + n))
        fixed = [(M.GDT_BASE, 0xD0)]
        if env.paging:
            fixed += [(M.PD_BASE, 4), (M.PT_BASE, 0x1000)]
        changed = {}
        for a, n in spans(watch):
            data = r.read_mem(a, n)
            for i, b in enumerate(data):
                init = c.mem.get(a + i, self.base_mem[a + i] if a + i < 0xA000 else 0)
                if b != init:
                    changed[a + i] = b
        for a, n in fixed:
            data = r.read_mem(a, n)
            for i, b in enumerate(data):
                if b != self.base_mem[a + i]:
                    changed[a + i] = b
        # Restore: the case's bytes and anything that changed go back to
        # the baseline (zero outside the environment area).
        restore = set(c.mem.keys()) | set(changed.keys())
        for a, n in spans(restore):
            r.write_mem(a, bytes(self.base_mem[a + i] if a + i < 0xA000 else 0 for i in range(n)))
        return {"final": final, "cr2": cr2, "changed": changed, "steps": steps,
                "fixed": fixed}


def addresses_ok(c):
    """Every byte the case lays out or watches must be ordinary RAM."""
    def ok(a):
        return a < M.RAM_SIZE and not (0xA0000 <= a < 0x100000)
    if not all(ok(a) for a in c.mem):
        return False
    return all(ok(a) and ok(a + n - 1) for a, n in c.watch)


def vector_of(env, final):
    eip, cs = final[8], final[10]
    if env.pmode:
        if cs == 0x08 and M.PM_HANDLER_BASE <= eip < M.PM_HANDLER_BASE + 0x1000 and eip % 16 == 0:
            return (eip - M.PM_HANDLER_BASE) // 16
    elif cs == M.IVT_HANDLER_SEG and eip < 0x400 and eip % 4 == 0:
        return eip // 4
    return -1


def expected_caches(c, final):
    """Expected segment caches after the step: (sel, base, limit, flags, cmp)
    with cmp 0 = selector only, 1 = selector and base, 2 = all (flags masked
    to type/S/DPL/P/DB/G)."""
    out = []
    vm = final[9] & 0x20000
    for s in SEG_ORDER:
        sel = final[GDB_SEG[s]] & 0xFFFF
        if not c.env.pmode or vm:
            out.append((sel, sel << 4, 0xFFFF, 0x9300 if s != "cs" else 0x9B00, 1))
        elif sel & ~3 == 0 or (sel & ~7) not in M.GDT:
            out.append((sel, 0, 0, 0, 0))
        else:
            b, l, f = M.seg_cache(sel)
            out.append((sel, b, l, f, 2))
    return out


def initial_caches(c):
    out = []
    for s in SEG_ORDER:
        sel = c.seg[s]
        if not c.env.pmode:
            out.append((sel, sel << 4, 0xFFFF, 0x9300 if s != "cs" else 0x9B00))
        elif sel & ~3 == 0:
            out.append((sel, 0, 0, 0))
        else:
            b, l, f = M.seg_cache(sel)
            out.append((sel, b, l, f))
    return out


def lock_legal(c):
    """Intel: LOCK is legal only on the listed read-modify-write forms with a
    memory destination (SDM LOCK); anything else raises #UD."""
    s = c.spec
    return s.lock and c.mod is not None and c.mod != 3


def format_case(idx, c, res):
    if res.get("shutdown"):
        toks = ["C", str(idx), c.env.name, "cpl%d" % c.cpl, c.spec.group, c.spec.key, c.insn.hex()]
        toks.append("i=" + ",".join("%x" % v for v in c.regs + [c.eip, c.eflags]))
        toks.append("s=" + ",".join("%x:%x:%x:%x" % t for t in initial_caches(c)))
        for a, n in spans(c.mem.keys()):
            toks.append("m=%x:%s" % (a, bytes(c.mem[a + i] for i in range(n)).hex()))
        toks += ["v=-2", "sd=1"]
        return " ".join(toks)
    final = res["final"]
    vec = vector_of(c.env, final)
    fmask = 0xFFFFFFFF
    if vec < 0 and c.spec.undef:
        fmask &= ~UNDEF[c.spec.undef](c)
    memmask = dict(c.memmask)
    if vec in FAULT_VECTORS and c.env.pmode and final[11] & ~3:
        # Frame at the handler's SS:ESP: [error code] EIP CS EFLAGS.
        base, limit, _ = M.seg_cache(final[11])
        wrap = 0xFFFF if limit == 0xFFFF else 0xFFFFFFFF

        def frame(off):
            return (base + ((final[4] + off) & wrap)) & 0xFFFFFFFF
        # RF in the pushed EFLAGS: a P6 sets it for faults, QEMU does not.
        off = 12 if vec in ERRCODE_VECTORS else 8
        memmask[frame(off + 2)] = memmask.get(frame(off + 2), 0) | 1
        if vec in ERRCODE_VECTORS:
            # Bits 16-31 of the pushed error code are reserved.
            memmask[frame(2)] = 0xFF
            memmask[frame(3)] = 0xFF
    if c.env.paging:
        # QEMU does not reliably set the accessed bit of the code page's PTE
        # when single-stepping, and sets it on page 0's PTE during some #GP
        # deliveries: bit 5 of those PTEs is not compared.
        code = c.lin("cs", c.eip)
        pages = {code >> 12, (code + len(c.insn) - 1) >> 12}
        if vec == 6:
            # QEMU reads memory operands (also a string instruction's, under
            # an illegal LOCK) before raising #UD, where silicon decodes
            # first: the A/D bits of every page the case laid out are not
            # compared.
            if c.ea_lin is not None:
                pages.add(c.ea_lin >> 12)
            pages.update(a >> 12 for a in c.mem)
        if vec == 14:
            # Whether a walk that ends in a protection fault sets A is not
            # architecturally fixed; QEMU does, so the faulting PTE's A is
            # masked, and so are its neighbours': which half of an access
            # that straddles two pages is translated first is not fixed
            # either. For CMPS, the order of the two reads is not fixed:
            # the A bits of every page it laid out are masked.
            pages.update({(res["cr2"] >> 12) - 1, res["cr2"] >> 12, (res["cr2"] >> 12) + 1})
            if c.spec.op[0] in (0xA6, 0xA7):
                pages.update(a >> 12 for a in c.mem)
        for page in pages:
            if page < 0 or page >= 1024:
                continue
            memmask[M.PT_BASE + 4 * page] = memmask.get(M.PT_BASE + 4 * page, 0) | \
                (0x60 if vec == 6 else 0x20)
    if vec == 14 and c.mod is not None and c.mod != 3 and \
            (c.spec.lock or c.spec.group in ("shift", "arpl")):
        # #PF on the read of a read-modify-write: silicon reports W=1, QEMU
        # W=0 (it translates the read half as a read).
        ss_base = M.seg_cache(final[11])[0] if final[11] & ~3 else 0
        wrap = 0xFFFF if final[11] & ~3 and M.seg_cache(final[11])[1] == 0xFFFF else 0xFFFFFFFF
        memmask[(ss_base + (final[4] & wrap)) & 0xFFFFFFFF] = \
            memmask.get((ss_base + (final[4] & wrap)) & 0xFFFFFFFF, 0) | 0x02
    toks = ["C", str(idx), c.env.name, "cpl%d" % c.cpl, c.spec.group, c.spec.key, c.insn.hex()]
    toks.append("i=" + ",".join("%x" % v for v in c.regs + [c.eip, c.eflags]))
    toks.append("s=" + ",".join("%x:%x:%x:%x" % t for t in initial_caches(c)))
    for a, n in spans(c.mem.keys()):
        toks.append("m=%x:%s" % (a, bytes(c.mem[a + i] for i in range(n)).hex()))
    for a, n in c.watch + res["fixed"]:
        toks.append("w=%x:%x" % (a, n))
    # Bits a register mask excludes are written as zero, so that values such
    # as the time-stamp counter do not make the corpus differ run to run.
    outregs = [v & c.regmask.get(i, 0xFFFFFFFF) for i, v in enumerate(final[:10])]
    toks.append("o=" + ",".join("%x" % v for v in outregs))
    toks.append("t=" + ",".join("%x:%x:%x:%x:%d" % t for t in expected_caches(c, final)))
    if c.env.paging and not (vec == 14 and c.spec.key in ("60", "61")):
        # (PUSHA/POPA: which of the eight slots faults first is not
        # architectural; QEMU stores the lowest slot first, Bochs the highest.)
        toks.append("c2=%x" % res["cr2"])
    ch = res["changed"]
    for a, n in spans(ch.keys()):
        toks.append("M=%x:%s" % (a, bytes(ch[a + i] for i in range(n)).hex()))
    for a in sorted(memmask):
        toks.append("X=%x:%x" % (a, memmask[a]))
    if fmask != 0xFFFFFFFF:
        toks.append("f=%x" % fmask)
    for r in sorted(c.regmask):
        toks.append("U=%d:%x" % (r, c.regmask[r]))
    toks.append("v=%d" % vec)
    if c.rep:
        toks.append("rep=1")
    return " ".join(toks)


def env_lines(env, snap):
    lines = ["E %s cr0=%x cr3=%x cr4=0 gdtr=%x:%x idtr=%x:%x tr=28:%x:67:8b00 ldtr=0:0:0:0"
             % (env.name, env.cr0, env.cr3(),
                M.GDT_BASE if env.pmode else M.GDT_BASE, M.GDT_LIMIT,
                M.IDT_BASE if env.pmode else 0, M.IDT_LIMIT if env.pmode else 0x3FF, M.TSS_BASE)]
    for a in range(0, len(snap), 0x400):
        chunk = snap[a:a + 0x400]
        if any(chunk):
            lines.append("B %s %x %s" % (env.name, a, chunk.hex()))
    return lines


def open_corpus(path):
    """A text stream into a gzip file with no time stamp and no file name
    in its header, so the same corpus gives the same bytes every time."""
    raw = open(path, "wb")
    gz = gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0)
    return _Closing(io.TextIOWrapper(gz, encoding="ascii", newline="\n"), raw)


class _Closing:
    """Close the text stream, the gzip stream and the file, in that order."""

    def __init__(self, text, raw):
        self.text, self.raw = text, raw

    def __enter__(self):
        return self.text

    def __exit__(self, *exc):
        self.text.close()
        self.raw.close()


def job_main(args, job, out_path, stats_path):
    rng = random.Random("%d:%d" % (args.seed, job))
    n = args.cases // args.jobs + (1 if job < args.cases % args.jobs else 0)
    port = args.port + job
    w = Worker(port)
    stats = {}
    dropped = {}
    specs = [s for s in SPECS]
    cursor = 0
    order = list(range(len(specs)))
    rng.shuffle(order)
    batch = 200
    made = 0
    t0 = time.time()
    idx = job * 10_000_000
    with open_corpus(out_path + ".tmp") as out:
        out.write("# mmulab conformance corpus v%d, seed %d, job %d of %d; see docs/conformance.md\n"
                  % (FORMAT_VERSION, args.seed, job, args.jobs))
        seen_env = set()
        b = 0
        while made < n:
            env = M.ENVS[(b + job) % len(M.ENVS)]
            b += 1
            snap = w.enter_env(env)
            if env.name not in seen_env:
                for line in env_lines(env, snap):
                    out.write(line + "\n")
                seen_env.add(env.name)
            k = 0
            while k < batch and made < n:
                spec = specs[order[cursor % len(order)]]
                cursor += 1
                if cursor % len(order) == 0:
                    rng.shuffle(order)
                if spec.weight < 1 and rng.random() > spec.weight:
                    continue
                if spec.modes and env.name not in spec.modes:
                    continue
                cpl = 0
                if env.pmode and rng.random() < 0.4:
                    cpl = 3
                if spec.cpl:
                    if not env.pmode and 0 not in spec.cpl:
                        continue
                    cpl = spec.cpl[0] if cpl not in spec.cpl else cpl
                c = build_case(rng, env, cpl, spec)
                k += 1
                if c is None:
                    dropped["builder"] = dropped.get("builder", 0) + 1
                    continue
                if not addresses_ok(c):
                    dropped["outside-ram"] = dropped.get("outside-ram", 0) + 1
                    continue
                try:
                    res = w.run(c)
                except (RSPError, socket.timeout) as e:
                    print("job %d: %s on %s; restarting qemu" % (job, e, c.insn.hex()), file=sys.stderr)
                    w.close()
                    w = Worker(port)
                    w.enter_env(env)
                    dropped["qemu-error"] = dropped.get("qemu-error", 0) + 1
                    continue
                if res is None:
                    dropped["rep-unfinished"] = dropped.get("rep-unfinished", 0) + 1
                    continue
                if res.get("shutdown"):
                    out.write(format_case(idx, c, res) + "\n")
                    idx += 1
                    made += 1
                    stats[(spec.key, env.name)] = stats.get((spec.key, env.name), 0) + 1
                    w.enter_env(env)
                    continue
                vec = vector_of(env, res["final"])
                # Cross-check QEMU against the SDM where QEMU is known to be
                # lax; drop disagreeing cases rather than record QEMU's view.
                if c.lock and not lock_legal(c) and vec != 6:
                    dropped["qemu-lock-not-ud"] = dropped.get("qemu-lock-not-ud", 0) + 1
                    continue
                if (c.expect_ud or spec.group == "ud") and vec != 6:
                    dropped["qemu-not-ud"] = dropped.get("qemu-not-ud", 0) + 1
                    continue
                if vec == 14 and spec.hook == "shift" and c.reg_field in (2, 3) and c.mod != 3:
                    # QEMU updates the flags of RCL/RCR before the faulting store.
                    dropped["qemu-rcl-pf-flags"] = dropped.get("qemu-rcl-pf-flags", 0) + 1
                    continue
                if res["final"][9] & 0x20000:
                    # Virtual-8086 mode is not generated; should QEMU end up
                    # there anyway, its hidden mode flags go stale: reset.
                    dropped["vm86"] = dropped.get("vm86", 0) + 1
                    w.enter_env(env)
                    continue
                if vec == 1 or res["final"][9] & 0x100:
                    dropped["debug-trap"] = dropped.get("debug-trap", 0) + 1
                    continue
                out.write(format_case(idx, c, res) + "\n")
                idx += 1
                made += 1
                key = (spec.key, env.name)
                stats[key] = stats.get(key, 0) + 1
                if made % 5000 == 0:
                    print("job %d: %d/%d cases, %.0f/s" % (job, made, n, made / (time.time() - t0)),
                          file=sys.stderr)
    w.close()
    os.replace(out_path + ".tmp", out_path)
    with open(stats_path, "w") as f:
        for (key, env), cnt in sorted(stats.items()):
            f.write("%s %s %d\n" % (key, env, cnt))
        for k, v in sorted(dropped.items()):
            f.write("dropped %s %d\n" % (k, v))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--cases", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--port", type=int, default=23450)
    ap.add_argument("--job", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if args.job is not None:
        job_main(args, args.job, os.path.join(args.out, "corpus-%d.txt.gz" % args.job),
                 os.path.join(args.out, "stats-%d.txt" % args.job))
        return
    procs = []
    for j in range(args.jobs):
        procs.append(subprocess.Popen([sys.executable, os.path.abspath(__file__), "--out", args.out,
                                       "--cases", str(args.cases), "--seed", str(args.seed),
                                       "--jobs", str(args.jobs), "--port", str(args.port),
                                       "--job", str(j)]))
    rc = 0
    for p in procs:
        rc |= p.wait()
    sys.exit(rc)


if __name__ == "__main__":
    main()
