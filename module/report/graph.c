// SPDX-License-Identifier: GPL-2.0
/*
 * Wait-for graph: cycle numbering and chain ends for a functional graph.
 * Linear in the number of nodes; no allocation, no recursion.
 */
#include "graph.h"

enum { LW_WHITE = 0, LW_ON_PATH = 1, LW_DONE = 2 };

int lw_graph_solve(struct lw_gnode *nodes, int n, int *mark)
{
	int ncycles = 0;
	int i;

	for (i = 0; i < n; i++) {
		int w = nodes[i].waits_for;

		if (w != LW_NONE && (w < 0 || w >= n))
			return -1;
		mark[i] = LW_WHITE;
		nodes[i].cycle = 0;
		nodes[i].end = i;
		nodes[i].depth = 0;
	}

	/* Find the cycles: walk each unvisited path until it closes. */
	for (i = 0; i < n; i++) {
		int v = i;

		if (mark[i] != LW_WHITE)
			continue;
		while (v != LW_NONE && mark[v] == LW_WHITE) {
			mark[v] = LW_ON_PATH;
			v = nodes[v].waits_for;
		}
		if (v != LW_NONE && mark[v] == LW_ON_PATH) {
			/* v is on a new cycle: number it. */
			int u = v;

			ncycles++;
			do {
				nodes[u].cycle = ncycles;
				u = nodes[u].waits_for;
			} while (u != v);
		}
		/* Close the path. */
		v = i;
		while (v != LW_NONE && mark[v] == LW_ON_PATH) {
			mark[v] = LW_DONE;
			v = nodes[v].waits_for;
		}
	}

	/* Renumber the cycles in the order of their lowest node index. */
	for (i = 0; i < n; i++)
		mark[i] = 0;
	for (i = 0, ncycles = 0; i < n; i++) {
		int c = nodes[i].cycle;

		if (c && !mark[c - 1])
			mark[c - 1] = ++ncycles;
	}
	for (i = 0; i < n; i++)
		if (nodes[i].cycle)
			nodes[i].cycle = mark[nodes[i].cycle - 1];

	/*
	 * Chain ends: a cycle member or a non-waiter is its own end. Others
	 * take the end of the node they wait for; resolve by walking to the
	 * first resolved node and then writing the path back.
	 */
	for (i = 0; i < n; i++)
		mark[i] = (nodes[i].cycle || nodes[i].waits_for == LW_NONE);
	for (i = 0; i < n; i++) {
		int v = i, len = 0, end, depth;

		while (!mark[v]) {
			v = nodes[v].waits_for;
			len++;
		}
		end = nodes[v].end;
		depth = nodes[v].depth + len;
		v = i;
		while (!mark[v]) {
			nodes[v].end = end;
			nodes[v].depth = depth--;
			mark[v] = 1;
			v = nodes[v].waits_for;
		}
	}
	return ncycles;
}

int lw_graph_cycle(const struct lw_gnode *nodes, int n, int cycle, int *from,
		   int *out, int max)
{
	int i = from && *from > 0 ? *from : 0, v, len = 0;

	if (cycle <= 0)
		return 0;
	for (; i < n; i++)
		if (nodes[i].cycle == cycle)
			break;
	if (i >= n)
		return 0;
	if (from)
		*from = i;
	v = i;
	do {
		if (len < max)
			out[len] = v;
		len++;
		v = nodes[v].waits_for;
	} while (v != i && len <= n);
	return len;
}
