/* optable.h - the opcode tables as data: for each opcode byte, the handler
 * and how to decode the rest of the instruction (ModRM, immediates, LOCK,
 * model feature). Filled in optable.c, read by decode.c. */
#ifndef CPU_OPTABLE_H
#define CPU_OPTABLE_H

#include "core.h"

/* Decode attributes. */
#define D_M      0x0001  /* ModRM follows */
#define D_IB     0x0002  /* imm8, zero-extended */
#define D_IBS    0x0004  /* imm8, sign-extended (also rel8) */
#define D_IW     0x0008  /* imm16 */
#define D_IZ     0x0010  /* imm16/imm32 by operand size (rel16/32 sign-extended) */
#define D_MOFFS  0x0020  /* offset by address size, into disp */
#define D_AP     0x0040  /* far pointer: offset (operand size) + selector */
#define D_ENTER  0x0080  /* imm16 then imm8 */
#define D_LOCK   0x0100  /* LOCK allowed (memory destination form only) */
#define D_MEM    0x0200  /* memory operand required (mod == 3: #UD) */
#define D_GRP    0x0400  /* handler chosen by ModRM.reg from a group table */
#define D_UD     0x0800  /* invalid opcode */
#define D_REGF   0x1000  /* ModRM always names registers (MOV CR/DR/TR) */
#define D_P6     0x2000  /* exists on P6 only (hint NOPs 0F 18-1F) */
#define D_JZ     0x4000  /* IZ is a relative target: sign-extend rel16 */

#define FEAT_NONE 0xFF

struct opinfo {
	insn_fn fn;
	uint16_t f;       /* D_* */
	uint8_t feat;     /* enum cpu_feature, or FEAT_NONE */
	uint8_t grp;      /* group number when D_GRP */
};

enum { G1, G1A, G2, G3B, G3V, G4, G5, G11B, G11V, G6, G7, G8, G9, G_COUNT };

extern const struct opinfo op_table[256];
extern const struct opinfo op_table0f[256];
extern const struct opinfo op_groups[G_COUNT][8];

#endif
