/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wait-for graph of blocked tasks.
 *
 * Plain C with no kernel or libc headers: the module and the userspace
 * unit tests compile the same file.
 *
 * A node is a task. A task waits for at most one lock; a lock has at most
 * one known owner, so every node has at most one outgoing edge and the
 * graph is functional: each weakly connected part holds at most one cycle,
 * and every blocked task either sits on a cycle, or its chain of owners
 * ends in a cycle or in a task that does not wait for a lock.
 */
#ifndef LOCKWATCH_GRAPH_H
#define LOCKWATCH_GRAPH_H

#define LW_NONE (-1)

struct lw_gnode {
	/* input */
	int waits_for;		/* index of the node owning its lock, or LW_NONE */
	/* output of lw_graph_solve() */
	int cycle;		/* cycle number (1-based) or 0 */
	int end;		/* node where its chain ends: a cycle member or a non-waiter */
	int depth;		/* edges to go from this node to @end */
};

/*
 * Number the cycles and find where each chain ends. Cycles are numbered in
 * the order of their lowest node index. @scratch needs @n ints.
 * Returns the number of cycles, or -1 when an edge points outside [0, n).
 */
int lw_graph_solve(struct lw_gnode *nodes, int n, int *scratch);

/*
 * Write the members of cycle @cycle into @out (at most @max), starting at
 * its lowest node index and following the edges. Returns the length of the
 * cycle (which may exceed @max), or 0 when there is no such cycle. With
 * @from, the search for its lowest node starts at *@from and leaves it
 * there: cycles asked for in increasing order with one cursor cost O(n)
 * in all, not O(n) each.
 */
int lw_graph_cycle(const struct lw_gnode *nodes, int n, int cycle, int *from,
		   int *out, int max);

#endif /* LOCKWATCH_GRAPH_H */
