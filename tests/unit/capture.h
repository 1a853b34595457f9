/* SPDX-License-Identifier: GPL-2.0 */
/* What a reader function prints on stdout, for the unit tests. */
#ifndef LW_TEST_CAPTURE_H
#define LW_TEST_CAPTURE_H

#include <stdio.h>
#include <unistd.h>

/*
 * Run @fn(@arg) with stdout going to a temporary file; return what it
 * printed (a static buffer, until the next call) and its result in @ret.
 */
static inline char *lw_capture(int (*fn)(const void *arg), const void *arg,
			       int *ret)
{
	static char out[8192];
	FILE *f = tmpfile();
	int saved = dup(STDOUT_FILENO);
	size_t n;

	assert_non_null(f);
	fflush(stdout);
	dup2(fileno(f), STDOUT_FILENO);
	*ret = fn(arg);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	return out;
}

#endif
