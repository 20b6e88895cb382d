/* types.h - the kernel's basic types (freestanding: only gcc's own headers). */
#ifndef LINUX_TYPES_H
#define LINUX_TYPES_H
#include <stdint.h>
#include <stddef.h>
#include <stdarg.h>

typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;
typedef unsigned long phys_addr_t;
typedef uint32_t pte_t;
typedef uint32_t pde_t;
typedef unsigned int gfp_t;

#define NULL_PTR ((void *)0)
#define bool _Bool
#define true 1
#define false 0
#endif
