// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the reader's parsers on arbitrary bytes. Every input
 * must be either parsed or refused with a message; no crash, no leak, no
 * undefined behaviour (built with ASan and UBSan).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../userspace/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct lw_report r;
	struct lw_chains c;
	struct lw_stats st;
	struct lw_devices d;
	char err[256];

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (lw_parse_cycles(text, &r, err, sizeof(err)) && !err[0])
		abort();	/* a refusal always says why */
	lw_report_free(&r);
	if (lw_parse_chains(text, &c, err, sizeof(err)) && !err[0])
		abort();
	lw_chains_free(&c);
	if (lw_parse_stats(text, &st, err, sizeof(err)) && !err[0])
		abort();
	if (lw_parse_devices(text, &d, err, sizeof(err)) && !err[0])
		abort();
	lw_devices_free(&d);
	free(text);
	return 0;
}
