// SPDX-License-Identifier: GPL-2.0
/*
 * The kinds the self-test switched off (their waits are then shown by
 * their site), and the test-only kind that selftest_break reads a word
 * off. Set by the self-test at load, read by every scan.
 */
#include <linux/bitops.h>

#include "lib.h"

static unsigned long lw_kinds_off;
static int lw_kind_skewed = -1;

bool lw_kind_on(u8 kind)
{
	return !test_bit(kind, &lw_kinds_off);
}

void lw_kind_off(u8 kind)
{
	set_bit(kind, &lw_kinds_off);
}

unsigned long lw_kind_skew(u8 kind)
{
	return kind == lw_kind_skewed ? sizeof(long) : 0;
}

void lw_kind_set_skew(u8 kind)
{
	lw_kind_skewed = kind;
}
