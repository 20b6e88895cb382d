"""machine.py - the fixed machine environments the conformance cases run in.

Every case runs in one of four environments (real mode, 16-bit protected
mode, 32-bit protected mode, 32-bit protected mode with paging). They share
one physical layout, written once into QEMU's RAM and recorded in the corpus
so that the C runner can rebuild exactly the same machine:

  0x0000-0x03FF  real-mode IVT: vector v -> 0600:v*4 (linear 0x6000 + 4v)
  0x1000-0x10FF  GDT (every descriptor has its accessed bit set already,
                 so segment loads do not write to it)
  0x1800-0x1FFF  IDT: vector v -> 0008:0x5000 + 16v
  0x2000-0x2067  32-bit TSS: SS0:ESP0 = 0010:00009000, no I/O bitmap
  0x3000         page directory (paging env), PDE 0 -> 0x4000
  0x4000         page table: identity map of 0-4 MiB, user+writable, A=D=0,
                 except the trap pages below
  0x5000-0x5FFF  protected-mode handler entry points (never executed)
  0x6000-0x63FF  real-mode handler entry points (never executed)
  0x7000-0x71FF  setup code and descriptor-table pointers
  0x8F00-0x8FFF  ring-0 stack for interrupts taken at CPL 3
  0x10000-       32-bit code; 16-bit code segment base 0x20000
  0x30000-0x8FFFF 16-bit data/stack segment bases (+64 KiB each)
  0x100000-0x3EFFFF 32-bit data and stack windows
  0x3F0000-0x3F3FFF trap pages (paging env): not present, read-only user,
                 supervisor-only, read-only supervisor
"""

RAM_SIZE = 4 << 20

IVT_HANDLER_SEG = 0x0600
PM_HANDLER_BASE = 0x5000
GDT_BASE, GDT_LIMIT = 0x1000, 0xFF
IDT_BASE, IDT_LIMIT = 0x1800, 0x7FF
TSS_BASE = 0x2000
PD_BASE, PT_BASE = 0x3000, 0x4000
RING0_ESP = 0x9000
SETUP_CODE = 0x7000
SETUP_PTRS = 0x7100

TRAP_NP, TRAP_RO_U, TRAP_SUP, TRAP_RO_S = 0x3F0000, 0x3F1000, 0x3F2000, 0x3F3000
TRAP_PAGES = (TRAP_NP, TRAP_RO_U, TRAP_SUP, TRAP_RO_S)

CR0_REAL = 0x60000010
CR0_PM = 0x60000011
CR0_PG = 0xE0010011  # PG, WP, CD, NW, ET, PE


def descriptor(base, limit, access, flags4):
    """Pack a GDT descriptor: access byte (P DPL S type), flags nibble (G D/B)."""
    lo = (limit & 0xFFFF) | ((base & 0xFFFF) << 16)
    hi = ((base >> 16) & 0xFF) | (access << 8) | (((limit >> 16) & 0xF) << 16) \
        | (flags4 << 20) | (base & 0xFF000000)
    return lo, hi


# selector -> (base, raw limit, access byte, flags nibble). Accessed bit set.
GDT = {
    0x08: (0, 0xFFFFF, 0x9B, 0xC),          # code32 DPL0 flat
    0x10: (0, 0xFFFFF, 0x93, 0xC),          # data32 DPL0 flat
    0x18: (0, 0xFFFFF, 0xFB, 0xC),          # code32 DPL3 flat
    0x20: (0, 0xFFFFF, 0xF3, 0xC),          # data32 DPL3 flat
    0x28: (TSS_BASE, 0x67, 0x89, 0x0),      # TSS32 available (LTR makes it busy)
    0x30: (0x20000, 0xFFFF, 0x9B, 0x0),     # code16 DPL0
    0x38: (0x30000, 0xFFFF, 0x93, 0x0),     # data16 DPL0
    0x40: (0x40000, 0xFFFF, 0x93, 0x0),
    0x48: (0x50000, 0xFFFF, 0x93, 0x0),     # 16-bit stack DPL0
    0x50: (0x60000, 0xFFFF, 0x93, 0x0),
    0x58: (0x70000, 0xFFFF, 0x93, 0x0),
    0x60: (0x20000, 0xFFFF, 0xFB, 0x0),     # code16 DPL3
    0x68: (0x30000, 0xFFFF, 0xF3, 0x0),     # data16 DPL3
    0x70: (0x50000, 0xFFFF, 0xF3, 0x0),     # 16-bit stack DPL3
    0x78: (0x200000, 0xFFFFF, 0xF3, 0xC),   # data32 DPL3, base 2 MiB
    0x80: (0x200000, 0xFFFFF, 0x93, 0xC),   # data32 DPL0, base 2 MiB
    0x88: (0, 0xFFFFF, 0x9F, 0xC),          # code32 DPL0 conforming
    0x90: (0, 0xFFFFF, 0x91, 0xC),          # data32 read-only DPL0
    0x98: (0, 0xFFFFF, 0x13, 0xC),          # data32 not present
    0xA0: (0, 0xFFFFF, 0x99, 0xC),          # code32 execute-only DPL0
    0xA8: (0, 0xFFFFF, 0xB3, 0xC),          # data32 DPL1
    0xB0: (0, 0xFFFFF, 0x1B, 0xC),          # code32 not present
}

# IDT: gate type and DPL per vector (interrupt gates unless listed).
DPL3_VECTORS = {3, 4, 0x80} | set(range(0x40, 0x50))
TRAP_GATE_VECTORS = {3, 4, 0x80} | set(range(0xA0, 0xB0))
NP_VECTORS = set(range(0x90, 0xA0))


def seg_cache(sel):
    """Descriptor cache (base, limit, flags) that loading `sel` gives."""
    base, raw, access, fl = GDT[sel & ~7]
    limit = (raw << 12) | 0xFFF if fl & 0x8 else raw
    flags = (access << 8) | (((raw >> 16) & 0xF) << 16) | (fl << 20)
    return base, limit, flags


def build_memory():
    """Environment bytes for 0x0000-0x9FFF (everything else starts zero)."""
    mem = bytearray(0xA000)

    def put32(addr, val):
        mem[addr:addr + 4] = (val & 0xFFFFFFFF).to_bytes(4, "little")

    for v in range(256):
        put32(4 * v, (IVT_HANDLER_SEG << 16) | (4 * v))
    for sel, (base, raw, access, fl) in GDT.items():
        lo, hi = descriptor(base, raw, access, fl)
        put32(GDT_BASE + sel, lo)
        put32(GDT_BASE + sel + 4, hi)
    for v in range(256):
        off = PM_HANDLER_BASE + 16 * v
        dpl = 3 if v in DPL3_VECTORS else 0
        typ = 0xF if v in TRAP_GATE_VECTORS else 0xE
        p = 0 if v in NP_VECTORS else 1
        put32(IDT_BASE + 8 * v, (0x08 << 16) | (off & 0xFFFF))
        put32(IDT_BASE + 8 * v + 4, (off & 0xFFFF0000) | (p << 15) | (dpl << 13) | (typ << 8))
    put32(TSS_BASE + 4, RING0_ESP)
    put32(TSS_BASE + 8, 0x10)
    put32(TSS_BASE + 0x64, 0x68 << 16)      # I/O map base beyond the limit
    put32(PD_BASE, PT_BASE | 0x7)
    for page in range(1024):
        addr = page << 12
        flags = 0x7
        if addr == TRAP_NP:
            flags = 0x6
        elif addr == TRAP_RO_U:
            flags = 0x5
        elif addr == TRAP_SUP:
            flags = 0x3
        elif addr == TRAP_RO_S:
            flags = 0x1
        put32(PT_BASE + 4 * page, addr | flags)
    for i in range(0x5000, 0x6400):
        mem[i] = 0xF4                        # HLT at every handler entry
    # Setup code: lgdt [SETUP_PTRS]; lidt [SETUP_PTRS+6] (16-bit, DS=0),
    # lidt [SETUP_PTRS+12] (real-mode IVT), then 32-bit mov ax,0x28; ltr ax.
    code = bytes([0x0F, 0x01, 0x16]) + SETUP_PTRS.to_bytes(2, "little") \
        + bytes([0x0F, 0x01, 0x1E]) + (SETUP_PTRS + 6).to_bytes(2, "little") \
        + bytes([0x0F, 0x01, 0x1E]) + (SETUP_PTRS + 12).to_bytes(2, "little")
    mem[SETUP_CODE:SETUP_CODE + len(code)] = code
    # ...then xor ax,ax; lldt ax: a null LDTR (QEMU's reset value is a
    # present LDT at base 0, limit 0xFFFF).
    ltr = bytes([0x66, 0xB8, 0x28, 0x00, 0x0F, 0x00, 0xD8, 0x66, 0x31, 0xC0, 0x0F, 0x00, 0xD0])
    mem[SETUP_CODE + 0x20:SETUP_CODE + 0x20 + len(ltr)] = ltr
    mem[SETUP_PTRS:SETUP_PTRS + 6] = GDT_LIMIT.to_bytes(2, "little") + GDT_BASE.to_bytes(4, "little")
    mem[SETUP_PTRS + 6:SETUP_PTRS + 12] = IDT_LIMIT.to_bytes(2, "little") + IDT_BASE.to_bytes(4, "little")
    mem[SETUP_PTRS + 12:SETUP_PTRS + 18] = (0x3FF).to_bytes(2, "little") + (0).to_bytes(4, "little")
    return mem


class Env:
    """One execution environment: mode, control registers, segment choices."""

    def __init__(self, name, cr0, code32, pmode, paging):
        self.name, self.cr0, self.code32, self.pmode, self.paging = name, cr0, code32, pmode, paging

    def cr3(self):
        return PD_BASE if self.paging else 0


ENVS = [
    Env("real", CR0_REAL, False, False, False),
    Env("pm16", CR0_PM, False, True, False),
    Env("pm32", CR0_PM, True, True, False),
    Env("pm32pg", CR0_PG, True, True, True),
]
