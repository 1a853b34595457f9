// SPDX-License-Identifier: GPL-2.0
/*
 * A report's text: printed into a buffer of a fixed size that says so
 * when it is full, and the names of the modes, confidences and sources
 * every report prints.
 */
#include <linux/kernel.h>

#include "lib.h"

void lw_printf(struct lw_buf *b, const char *fmt, ...)
{
	va_list args;
	int n;

	if (b->truncated)
		return;
	va_start(args, fmt);
	n = vsnprintf(b->data + b->len, b->max - b->len, fmt, args);
	va_end(args);
	if (b->len + n >= b->max - 32) {
		/* Keep room to say so: a partial report never looks whole. */
		b->len = min_t(size_t, b->len, b->max - 32);
		b->len += scnprintf(b->data + b->len, b->max - b->len,
				    "truncated: yes\n");
		b->truncated = true;
		return;
	}
	b->len += n;
}

void lw_print_addr(struct lw_buf *b, const char *key, unsigned long a)
{
	/* raw_pointers is the administrator's explicit choice */
	if (b->raw_pointers)
		lw_printf(b, "%s: 0x%016lx\n", key, a);
	else
		lw_printf(b, "%s: %p\n", key, (void *)a);
}

const char *lw_mode_name(u8 mode)
{
	static const char * const names[] = {
		[LW_MODE_NONE] = "-",
		[LW_MODE_READ] = "read",
		[LW_MODE_WRITE] = "write",
		[LW_MODE_TAG] = "tag",
		[LW_MODE_BIO] = "bio",
		[LW_MODE_FREEZE] = "freeze",
		[LW_MODE_ENTER] = "enter",
	};

	return mode < ARRAY_SIZE(names) ? names[mode] : "?";
}

const char *lw_conf_name(u8 conf)
{
	static const char * const names[] = {
		[LW_CONF_UNKNOWN] = "unknown",
		[LW_CONF_HINT] = "hint",
		[LW_CONF_EXACT] = "exact",
	};

	return conf < ARRAY_SIZE(names) ? names[conf] : "?";
}

const char *lw_source_name(u8 src)
{
	static const char * const names[] = {
		[LW_SRC_NONE] = "none",
		[LW_SRC_STACK] = "stack",
		[LW_SRC_TRACE] = "trace",
		[LW_SRC_KERNEL] = "blocker",
		[LW_SRC_PI] = "pi_blocked_on",
	};

	return src < ARRAY_SIZE(names) ? names[src] : "?";
}

/* Make @str one line of printable text: control bytes become '?'. */
void lw_printable(char *str)
{
	for (; *str; str++)
		if ((unsigned char)*str < 0x20 || *str == 0x7f)
			*str = '?';
}
