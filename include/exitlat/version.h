/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef EXITLAT_VERSION_H
#define EXITLAT_VERSION_H
#define EXITLAT_VERSION "0.1.0"
#endif
