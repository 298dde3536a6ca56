/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Names for the numbers the hardware reports: VM-instruction errors (SDM
 * Vol. 3, 31.4), basic VM-exit reasons (Appendix C) and SVM exit codes (APM
 * Vol. 2, Appendix C). Shared by the module (kernel log) and exitlat-native
 * (its error messages). "unknown" for anything outside the tables.
 */
#ifndef EXITLAT_NAMES_H
#define EXITLAT_NAMES_H

#include "compat.h"

const char *vmx_instruction_error_name(u32 err);
const char *vmx_exit_reason_name(u32 reason);
const char *svm_exit_code_name(u64 code);

#endif
