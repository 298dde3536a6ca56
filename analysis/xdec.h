/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Exact decimals live in lib/ now: kvm-probe and exitlat-native print them too. */
#include "exitlat/xdec.h"
