/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The few kernel names the pure-logic files (vmx_controls.c, segments.c,
 * svm_intercepts.c, args.c, the VMCS/VMCB builders and their checks) use,
 * so that the same files build in the module and in the user-space unit
 * tests.
 */
#ifndef EXITLAT_COMPAT_H
#define EXITLAT_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/errno.h>
#include <linux/compiler.h>
#include <linux/build_bug.h>
#include <linux/string.h>
#include <asm/asm.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/types.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
#ifndef __always_inline
#define __always_inline inline __attribute__((__always_inline__))
#endif
#define static_assert _Static_assert
#ifndef __packed
#define __packed __attribute__((__packed__))
#endif
/*
 * The kernel's exception-table entry, for scripts/check-insns' user-space
 * build of insns.h (never run there): the same label reference, so the
 * fault paths are compiled as they are in the module.
 */
#define _ASM_EXTABLE(from, to)						\
	" .pushsection .discard.el_extable,\"a\"\n"			\
	" .long (" #from ") - ., (" #to ") - .\n"			\
	" .popsection\n"
#endif

#define EXITLAT_BIT(n) (1ull << (n))

#endif
