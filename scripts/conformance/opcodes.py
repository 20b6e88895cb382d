"""opcodes.py - the instruction forms the generator emits, as data.

Each Spec names one opcode (or one /reg of a group opcode), its operand
encoding, the flags Intel documents as undefined for it (SDM vol. 2, the
"Flags Affected" section of each instruction), and hooks that steer operand
values towards interesting cases (divisors that do not overflow, valid
selectors, stack frames for far returns...). The hooks live in gen.py; here
they are referred to by name so that this table reads like the opcode map.
"""

CF, PF, AF, ZF, SF, OF = 0x1, 0x4, 0x10, 0x40, 0x80, 0x800
ARITH = CF | PF | AF | ZF | SF | OF


class Spec:
    """One instruction form.

    op      opcode bytes (after prefixes)
    modrm   None, or (reg, mod): reg fixed /digit or None (free), mod
            'any', 'mem' or 'reg'
    imm     immediate kinds in order: b (8), w (16), z (16/32 by operand
            size), a (moffs, by address size), p (far pointer z:w)
    width   'b' byte operands, 'v' operand-size operands, 'w' word
    undef   name of the undefined-flags rule (see gen.UNDEF)
    hook    name of an operand-steering hook in gen.py, or None
    lock    LOCK is legal with a memory destination
    string  string instruction (REP prefixes apply)
    modes   environments allowed (None: all)
    cpl     CPLs allowed (None: both)
    no66    forbid the 66 prefix (undefined results or QEMU gaps)
    """

    def __init__(self, key, group, op, modrm=None, imm="", width="v", undef=None, hook=None,
                 lock=False, string=False, modes=None, cpl=None, no66=False, branch=False,
                 weight=1):
        self.key, self.group, self.op = key, group, bytes(op)
        self.modrm, self.imm, self.width = modrm, imm, width
        self.undef, self.hook, self.lock, self.string = undef, hook, lock, string
        self.modes, self.cpl, self.no66, self.branch = modes, cpl, no66, branch
        self.weight = weight


PM = ("pm16", "pm32", "pm32pg")
SPECS = []


def add(*a, **kw):
    SPECS.append(Spec(*a, **kw))


# ---- ALU: ADD OR ADC SBB AND SUB XOR CMP, six forms each
ALU_NAMES = ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"]
for i, name in enumerate(ALU_NAMES):
    b = i * 8
    logic = "logic" if name in ("or", "and", "xor") else None
    lk = name != "cmp"
    add("%02X" % (b + 0), "alu", [b + 0], ("r", "any"), width="b", undef=logic, lock=lk)
    add("%02X" % (b + 1), "alu", [b + 1], ("r", "any"), undef=logic, lock=lk)
    add("%02X" % (b + 2), "alu", [b + 2], ("r", "any"), width="b", undef=logic)
    add("%02X" % (b + 3), "alu", [b + 3], ("r", "any"), undef=logic)
    add("%02X" % (b + 4), "alu", [b + 4], imm="b", width="b", undef=logic)
    add("%02X" % (b + 5), "alu", [b + 5], imm="z", undef=logic)
    for grp_op, w, im in ((0x80, "b", "b"), (0x81, "v", "z"), (0x82, "b", "b"), (0x83, "v", "b")):
        add("%02X/%d" % (grp_op, i), "alu", [grp_op], (i, "any"), imm=im, width=w, undef=logic, lock=lk)

# ---- segment register push/pop
for op, name in ((0x06, "es"), (0x0E, "cs"), (0x16, "ss"), (0x1E, "ds")):
    add("%02X" % op, "stack", [op], hook="push_seg")
for op in (0x07, 0x17, 0x1F):
    add("%02X" % op, "segload", [op], hook="pop_seg")
add("0FA0", "stack", [0x0F, 0xA0], hook="push_seg")
add("0FA8", "stack", [0x0F, 0xA8], hook="push_seg")
add("0FA1", "segload", [0x0F, 0xA1], hook="pop_seg")
add("0FA9", "segload", [0x0F, 0xA9], hook="pop_seg")

# ---- BCD
add("27", "bcd", [0x27], undef="daa", width="b")
add("2F", "bcd", [0x2F], undef="daa", width="b")
add("37", "bcd", [0x37], undef="aaa", width="b")
add("3F", "bcd", [0x3F], undef="aaa", width="b")
add("D4", "bcd", [0xD4], imm="b", undef="aam", hook="aam")
add("D5", "bcd", [0xD5], imm="b", undef="aam", hook="aam")

# ---- INC/DEC/PUSH/POP register
for r in range(8):
    add("%02X" % (0x40 + r), "incdec", [0x40 + r])
    add("%02X" % (0x48 + r), "incdec", [0x48 + r])
    add("%02X" % (0x50 + r), "stack", [0x50 + r])
    add("%02X" % (0x58 + r), "stack", [0x58 + r])
add("60", "stack", [0x60])
add("61", "stack", [0x61])
add("62", "bound", [0x62], ("r", "mem"), hook="bound")
add("63", "arpl", [0x63], ("r", "any"), width="w", modes=None, no66=True)
add("68", "stack", [0x68], imm="z")
add("69", "muldiv", [0x69], ("r", "any"), imm="z", undef="mul")
add("6A", "stack", [0x6A], imm="b")
add("6B", "muldiv", [0x6B], ("r", "any"), imm="b", undef="mul")
for op in (0x6C, 0x6D, 0x6E, 0x6F, 0xE4, 0xE5, 0xE6, 0xE7, 0xEC, 0xED, 0xEE, 0xEF):
    imm = "b" if op in (0xE4, 0xE5, 0xE6, 0xE7) else ""
    add("%02X" % op, "io", [op], imm=imm, hook="io_gp", modes=PM, cpl=(3,),
        string=op < 0x70)

# ---- Jcc, JMP, CALL, LOOP
for cc in range(16):
    add("%02X" % (0x70 + cc), "jcc", [0x70 + cc], imm="b", branch=True)
    add("0F%02X" % (0x80 + cc), "jcc", [0x0F, 0x80 + cc], imm="z", branch=True)
    add("0F%02X" % (0x90 + cc), "setcc", [0x0F, 0x90 + cc], (0, "any"), width="b")
    add("0F%02X" % (0x40 + cc), "cmov", [0x0F, 0x40 + cc], ("r", "any"))
for op in (0xE0, 0xE1, 0xE2, 0xE3):
    add("%02X" % op, "loop", [op], imm="b", branch=True, hook="loop")
add("E8", "call", [0xE8], imm="z", branch=True)
add("E9", "jmp", [0xE9], imm="z", branch=True)
add("EB", "jmp", [0xEB], imm="b", branch=True)
add("C2", "ret", [0xC2], imm="w", branch=True, hook="ret_near")
add("C3", "ret", [0xC3], branch=True, hook="ret_near")

# ---- TEST/XCHG/MOV/LEA
add("84", "alu", [0x84], ("r", "any"), width="b", undef="logic")
add("85", "alu", [0x85], ("r", "any"), undef="logic")
add("A8", "alu", [0xA8], imm="b", width="b", undef="logic")
add("A9", "alu", [0xA9], imm="z", undef="logic")
add("86", "xchg", [0x86], ("r", "any"), width="b", lock=True)
add("87", "xchg", [0x87], ("r", "any"), lock=True)
for r in range(1, 8):
    add("%02X" % (0x90 + r), "xchg", [0x90 + r])
add("90", "nop", [0x90])
add("0F1F", "nop", [0x0F, 0x1F], (0, "any"))
for op in (0x88, 0x89, 0x8A, 0x8B):
    add("%02X" % op, "mov", [op], ("r", "any"), width="b" if op in (0x88, 0x8A) else "v")
add("8C", "movseg", [0x8C], ("r", "any"), width="w", hook="mov_from_seg")
add("8D", "lea", [0x8D], ("r", "any"))
add("8E", "segload", [0x8E], ("r", "any"), width="w", hook="mov_to_seg")
add("8F/0", "stack", [0x8F], (0, "any"))
add("98", "cbw", [0x98])
add("99", "cbw", [0x99])
add("9C", "flags", [0x9C])
add("9D", "flags", [0x9D], hook="popf")
add("9E", "flags", [0x9E])
add("9F", "flags", [0x9F])
for op in (0xA0, 0xA1, 0xA2, 0xA3):
    add("%02X" % op, "mov", [op], imm="a", width="b" if op in (0xA0, 0xA2) else "v", hook="moffs")
for op in (0xA4, 0xA5, 0xA6, 0xA7, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF):
    add("%02X" % op, "string", [op], width="b" if op % 2 == 0 else "v", string=True, hook="string")
for r in range(8):
    add("%02X" % (0xB0 + r), "mov", [0xB0 + r], imm="b", width="b")
    add("%02X" % (0xB8 + r), "mov", [0xB8 + r], imm="z")
add("C6/0", "mov", [0xC6], (0, "any"), imm="b", width="b")
add("C7/0", "mov", [0xC7], (0, "any"), imm="z")
add("D7", "xlat", [0xD7], hook="xlat")

# ---- shifts and rotates: C0 C1 D0 D1 D2 D3, /0-/7 except /6
SHIFT_NAMES = ["rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"]   # /6: undocumented SHL alias
for r, name in enumerate(SHIFT_NAMES):
    if name is None:
        continue
    for op, w, im, src in ((0xC0, "b", "b", "imm"), (0xC1, "v", "b", "imm"), (0xD0, "b", "", "one"),
                           (0xD1, "v", "", "one"), (0xD2, "b", "", "cl"), (0xD3, "v", "", "cl")):
        add("%02X/%d" % (op, r), "shift", [op], (r, "any"), imm=im, width=w, undef="shift",
            hook="shift")

# ---- ENTER/LEAVE, far transfers, interrupts
add("C8", "enter", [0xC8], imm="wb", hook="enter")
add("C9", "enter", [0xC9], hook="leave")
add("C4", "segload", [0xC4], ("r", "mem"), hook="load_far")
add("C5", "segload", [0xC5], ("r", "mem"), hook="load_far")
add("0FB2", "segload", [0x0F, 0xB2], ("r", "mem"), hook="load_far")
add("0FB4", "segload", [0x0F, 0xB4], ("r", "mem"), hook="load_far")
add("0FB5", "segload", [0x0F, 0xB5], ("r", "mem"), hook="load_far")
add("9A", "far", [0x9A], imm="p", hook="far_ptr", branch=True)
add("EA", "far", [0xEA], imm="p", hook="far_ptr", branch=True)
add("CA", "far", [0xCA], imm="w", hook="retf", branch=True)
add("CB", "far", [0xCB], hook="retf", branch=True)
add("CF", "iret", [0xCF], hook="iret", branch=True)
add("CC", "int", [0xCC])
add("CD", "int", [0xCD], imm="b", hook="int_n")
add("CE", "int", [0xCE], hook="into")

# ---- group 3, 4, 5
# F6/1 and F7/1 (the undocumented TEST alias that Intel CPUs execute) are
# not generated: QEMU 7.2 raises #UD for them.
add("F6/0", "alu", [0xF6], (0, "any"), imm="b", width="b", undef="logic")
add("F7/0", "alu", [0xF7], (0, "any"), imm="z", undef="logic")
for r, name in ((2, "not"), (3, "neg")):
    add("F6/%d" % r, "alu", [0xF6], (r, "any"), width="b", lock=True)
    add("F7/%d" % r, "alu", [0xF7], (r, "any"), lock=True)
for r, und in ((4, "mul"), (5, "mul"), (6, "div"), (7, "div")):
    add("F6/%d" % r, "muldiv", [0xF6], (r, "any"), width="b", undef=und, hook="muldiv")
    add("F7/%d" % r, "muldiv", [0xF7], (r, "any"), undef=und, hook="muldiv")
add("FE/0", "incdec", [0xFE], (0, "any"), width="b", lock=True)
add("FE/1", "incdec", [0xFE], (1, "any"), width="b", lock=True)
add("FF/0", "incdec", [0xFF], (0, "any"), lock=True)
add("FF/1", "incdec", [0xFF], (1, "any"), lock=True)
add("FF/2", "call", [0xFF], (2, "any"), hook="near_indirect", branch=True)
add("FF/3", "far", [0xFF], (3, "mem"), hook="far_indirect", branch=True)
add("FF/4", "jmp", [0xFF], (4, "any"), hook="near_indirect", branch=True)
add("FF/5", "far", [0xFF], (5, "mem"), hook="far_indirect", branch=True)
add("FF/6", "stack", [0xFF], (6, "any"))
add("FF/7", "ud", [0xFF], (7, "any"), weight=0.2)
for r in range(2, 8):
    add("FE/%d" % r, "ud", [0xFE], (r, "any"), weight=0.2)

# ---- flag instructions, HLT
for op in (0xF5, 0xF8, 0xF9, 0xFC, 0xFD):
    add("%02X" % op, "flags", [op])
add("FA", "flags", [0xFA], hook="iopl")
add("FB", "flags", [0xFB], hook="iopl")
add("F4", "system", [0xF4], modes=PM, cpl=(3,))

# ---- 0F: system
add("0F00/0", "system", [0x0F, 0x00], (0, "any"), width="w")          # SLDT
add("0F00/1", "system", [0x0F, 0x00], (1, "any"), width="w")          # STR
add("0F00/2", "system", [0x0F, 0x00], (2, "any"), width="w", cpl=(3,), hook="sel_operand")  # LLDT
add("0F00/3", "system", [0x0F, 0x00], (3, "any"), width="w", cpl=(3,), hook="sel_operand")  # LTR
add("0F00/4", "system", [0x0F, 0x00], (4, "any"), width="w", hook="sel_operand")  # VERR
add("0F00/5", "system", [0x0F, 0x00], (5, "any"), width="w", hook="sel_operand")  # VERW
add("0F01/0", "system", [0x0F, 0x01], (0, "mem"))                     # SGDT
add("0F01/1", "system", [0x0F, 0x01], (1, "mem"))                     # SIDT
add("0F01/2", "system", [0x0F, 0x01], (2, "mem"), cpl=(3,), modes=PM)  # LGDT
add("0F01/3", "system", [0x0F, 0x01], (3, "mem"), cpl=(3,), modes=PM)  # LIDT
add("0F01/4", "system", [0x0F, 0x01], (4, "any"), width="w", hook="smsw")  # SMSW
add("0F01/6", "system", [0x0F, 0x01], (6, "any"), width="w", cpl=(3,), modes=PM)  # LMSW
add("0F01/7", "system", [0x0F, 0x01], (7, "mem"))                     # INVLPG
add("0F02", "system", [0x0F, 0x02], ("r", "any"), hook="sel_operand")  # LAR
add("0F03", "system", [0x0F, 0x03], ("r", "any"), hook="sel_operand")  # LSL
add("0F06", "system", [0x0F, 0x06])                                    # CLTS
add("0F08", "system", [0x0F, 0x08])                                    # INVD
add("0F09", "system", [0x0F, 0x09])                                    # WBINVD
add("0F20", "system", [0x0F, 0x20], ("r", "reg"), hook="mov_cr", no66=True)
add("0F22", "system", [0x0F, 0x22], ("r", "reg"), cpl=(3,), modes=PM, no66=True, hook="mov_cr")
add("0F21", "system", [0x0F, 0x21], ("r", "reg"), cpl=(3,), modes=PM, no66=True)
add("0F23", "system", [0x0F, 0x23], ("r", "reg"), cpl=(3,), modes=PM, no66=True)
add("0F30", "system", [0x0F, 0x30], cpl=(3,), modes=PM)                # WRMSR
add("0F32", "system", [0x0F, 0x32], cpl=(3,), modes=PM)                # RDMSR

# ---- 0F: integer
for op, und in ((0xA3, "bt"), (0xAB, "bt"), (0xB3, "bt"), (0xBB, "bt")):
    add("0F%02X" % op, "bitops", [0x0F, op], ("r", "any"), undef=und, hook="bt_reg",
        lock=op != 0xA3)
for r in (4, 5, 6, 7):
    add("0FBA/%d" % r, "bitops", [0x0F, 0xBA], (r, "any"), imm="b", undef="bt", lock=r != 4)
for op in (0xBC, 0xBD):
    add("0F%02X" % op, "bitops", [0x0F, op], ("r", "any"), undef="bsf", hook="bsf")
add("0FA4", "shift", [0x0F, 0xA4], ("r", "any"), imm="b", undef="shld", hook="shld")
add("0FA5", "shift", [0x0F, 0xA5], ("r", "any"), undef="shld", hook="shld")
add("0FAC", "shift", [0x0F, 0xAC], ("r", "any"), imm="b", undef="shld", hook="shld")
add("0FAD", "shift", [0x0F, 0xAD], ("r", "any"), undef="shld", hook="shld")
add("0FAF", "muldiv", [0x0F, 0xAF], ("r", "any"), undef="mul")
add("0FB0", "atomic", [0x0F, 0xB0], ("r", "any"), width="b", lock=True, hook="cmpxchg")
add("0FB1", "atomic", [0x0F, 0xB1], ("r", "any"), lock=True, hook="cmpxchg")
add("0FC0", "atomic", [0x0F, 0xC0], ("r", "any"), width="b", lock=True)
add("0FC1", "atomic", [0x0F, 0xC1], ("r", "any"), lock=True)
add("0FC7/1", "atomic", [0x0F, 0xC7], (1, "mem"), lock=True, undef="cx8", hook="cmpxchg8b")
for op in (0xB6, 0xBE):
    add("0F%02X" % op, "movx", [0x0F, op], ("r", "any"), width="b")
for op in (0xB7, 0xBF):
    add("0F%02X" % op, "movx", [0x0F, op], ("r", "any"), width="w")
for r in range(8):
    add("0F%02X" % (0xC8 + r), "bswap", [0x0F, 0xC8 + r], no66=True)
# Opcodes that #UD on a P6 and on QEMU's model alike.
for op in (0x0B, 0x24, 0x26, 0xFF, 0x04, 0x0A, 0x0C, 0x25, 0x27, 0x36, 0x39, 0xA6, 0xA7):
    add("0F%02X" % op, "ud", [0x0F, op], weight=0.3)
add("0FB9", "ud", [0x0F, 0xB9], ("r", "any"), weight=0.3)

# ---- odds and ends of the one-byte map
add("9B", "misc", [0x9B])                                   # WAIT: CR0.MP=0, a no-op
add("D6", "misc", [0xD6])                                   # SALC (undocumented)
# 8F /1-/7 and C6/C7 /1-/7 (#UD on a P6) are not generated: QEMU 7.2 ignores
# the reg field there and executes POP / MOV.

# ---- 0F: hint NOPs, identification, fast system calls, undefined group members
add("0F18", "nop", [0x0F, 0x18], ("r", "any"), hook="hint")  # mod=3 /0-3: QEMU #UD, see hint hook
for op in range(0x19, 0x1F):
    add("0F%02X" % op, "nop", [0x0F, op], ("r", "any"), hook="hint")
add("0FA2", "misc", [0x0F, 0xA2], hook="cpuid")              # results model-specific: masked
add("0F31", "misc", [0x0F, 0x31], hook="rdtsc")              # counter value masked
add("0F34", "system", [0x0F, 0x34])                          # SYSENTER_CS_MSR = 0: #GP(0)
add("0F35", "system", [0x0F, 0x35])                          # SYSEXIT: #GP(0)
for r in range(0, 4):
    add("0FBA/%d" % r, "ud", [0x0F, 0xBA], (r, "any"), imm="b", weight=0.2)
for r in (0, 2, 3, 4, 5, 6, 7):
    add("0FC7/%d" % r, "ud", [0x0F, 0xC7], (r, "mem"), weight=0.2)
for r in (6, 7):
    add("0F00/%d" % r, "ud", [0x0F, 0x00], (r, "any"), weight=0.2)
add("0F01/5", "ud", [0x0F, 0x01], (5, "mem"), weight=0.2)
