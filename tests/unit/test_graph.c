// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the wait-for graph (module/report/graph.c), built for userspace. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "../../module/report/graph.h"

#define N LW_NONE

static int solve(struct lw_gnode *g, int n)
{
	int *scratch = calloc(n ? n : 1, sizeof(int));
	int r;

	assert_non_null(scratch);
	r = lw_graph_solve(g, n, scratch);
	free(scratch);
	return r;
}

static void set_edges(struct lw_gnode *g, const int *edges, int n)
{
	int i;

	for (i = 0; i < n; i++)
		g[i].waits_for = edges[i];
}

static void test_empty(void **state)
{
	(void)state;
	assert_int_equal(solve(NULL, 0), 0);
}

static void test_abba(void **state)
{
	struct lw_gnode g[2];
	int e[] = { 1, 0 }, members[4];

	(void)state;
	set_edges(g, e, 2);
	assert_int_equal(solve(g, 2), 1);
	assert_int_equal(g[0].cycle, 1);
	assert_int_equal(g[1].cycle, 1);
	assert_int_equal(lw_graph_cycle(g, 2, 1, NULL, members, 4), 2);
	assert_int_equal(members[0], 0);
	assert_int_equal(members[1], 1);
}

static void test_self_deadlock(void **state)
{
	struct lw_gnode g[2];
	int e[] = { N, 1 }, members[2];

	(void)state;
	set_edges(g, e, 2);
	assert_int_equal(solve(g, 2), 1);
	assert_int_equal(g[0].cycle, 0);
	assert_int_equal(g[1].cycle, 1);
	assert_int_equal(lw_graph_cycle(g, 2, 1, NULL, members, 2), 1);
	assert_int_equal(members[0], 1);
}

/* Cycle order follows the edges from the lowest index: 0 -> 2 -> 1. */
static void test_three_cycle_order(void **state)
{
	struct lw_gnode g[3];
	int e[] = { 2, 0, 1 }, members[3];

	(void)state;
	set_edges(g, e, 3);
	assert_int_equal(solve(g, 3), 1);
	assert_int_equal(lw_graph_cycle(g, 3, 1, NULL, members, 3), 3);
	assert_int_equal(members[0], 0);
	assert_int_equal(members[1], 2);
	assert_int_equal(members[2], 1);
}

/* rm waits for a cycle member, ls waits for rm: chains end in the cycle. */
static void test_chain_into_cycle(void **state)
{
	/* 0 ls -> 1 rm -> 2 fire_1 <-> 3 fire_2 */
	struct lw_gnode g[4];
	int e[] = { 1, 2, 3, 2 };

	(void)state;
	set_edges(g, e, 4);
	assert_int_equal(solve(g, 4), 1);
	assert_int_equal(g[0].cycle, 0);
	assert_int_equal(g[1].cycle, 0);
	assert_int_equal(g[0].end, 2);
	assert_int_equal(g[0].depth, 2);
	assert_int_equal(g[1].end, 2);
	assert_int_equal(g[1].depth, 1);
	assert_int_equal(g[2].end, 2);
	assert_int_equal(g[2].depth, 0);
}

/* Waiters behind a holder that waits for nothing: no cycle, end = holder. */
static void test_chain_to_holder(void **state)
{
	struct lw_gnode g[4];
	int e[] = { 3, 3, 0, N };
	int i;

	(void)state;
	set_edges(g, e, 4);
	assert_int_equal(solve(g, 4), 0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(g[i].cycle, 0);
		assert_int_equal(g[i].end, 3);
	}
	assert_int_equal(g[2].depth, 2);
	assert_int_equal(g[3].depth, 0);
}

/* Cycles are numbered by their lowest index, not by discovery order. */
static void test_numbering(void **state)
{
	/* 0 -> 4 <-> 5 ; 1 <-> 2 ; 3 -> 3 */
	struct lw_gnode g[6];
	int e[] = { 4, 2, 1, 3, 5, 4 };

	(void)state;
	set_edges(g, e, 6);
	assert_int_equal(solve(g, 6), 3);
	assert_int_equal(g[1].cycle, 1);
	assert_int_equal(g[2].cycle, 1);
	assert_int_equal(g[3].cycle, 2);
	assert_int_equal(g[4].cycle, 3);
	assert_int_equal(g[5].cycle, 3);
	assert_int_equal(g[0].cycle, 0);
	assert_int_equal(g[0].end, 4);
}

static void test_bad_edge(void **state)
{
	struct lw_gnode g[2];
	int e[] = { 1, 7 };

	(void)state;
	set_edges(g, e, 2);
	assert_int_equal(solve(g, 2), -1);
	e[1] = -2;
	set_edges(g, e, 2);
	assert_int_equal(solve(g, 2), -1);
}

static void test_no_such_cycle(void **state)
{
	struct lw_gnode g[2];
	int e[] = { 1, 0 }, members[2];

	(void)state;
	set_edges(g, e, 2);
	assert_int_equal(solve(g, 2), 1);
	assert_int_equal(lw_graph_cycle(g, 2, 2, NULL, members, 2), 0);
	assert_int_equal(lw_graph_cycle(g, 2, 0, NULL, members, 2), 0);
	/* A short output buffer still gets the true length. */
	assert_int_equal(lw_graph_cycle(g, 2, 1, NULL, members, 1), 2);
	assert_int_equal(members[0], 0);
}

/* One cursor over the cycles in order finds each from its lowest node. */
static void test_cycle_cursor(void **state)
{
	struct lw_gnode g[7];
	/* 0 -> 3 -> 0; 1 waits for 0; 2 -> 5 -> 6 -> 2; 4 -> 4 */
	int e[] = { 3, 0, 5, 0, 4, 6, 2 }, members[3], from = 0;

	(void)state;
	set_edges(g, e, 7);
	assert_int_equal(solve(g, 7), 3);
	assert_int_equal(lw_graph_cycle(g, 7, 1, &from, members, 3), 2);
	assert_int_equal(from, 0);
	assert_int_equal(members[1], 3);
	assert_int_equal(lw_graph_cycle(g, 7, 2, &from, members, 3), 3);
	assert_int_equal(from, 2);
	assert_int_equal(members[0], 2);
	assert_int_equal(members[1], 5);
	assert_int_equal(members[2], 6);
	assert_int_equal(lw_graph_cycle(g, 7, 3, &from, members, 3), 1);
	assert_int_equal(from, 4);
	assert_int_equal(members[0], 4);
	/* Past its place, a cycle is not found again. */
	assert_int_equal(lw_graph_cycle(g, 7, 1, &from, members, 3), 0);
}

/* A long chain and a big cycle: linear work, no recursion. */
static void test_large(void **state)
{
	enum { M = 200000 };
	struct lw_gnode *g = calloc(M, sizeof(*g));
	int i;

	(void)state;
	assert_non_null(g);
	/* 0..M/2-1: a chain into M/2; M/2..M-1: one cycle. */
	for (i = 0; i < M; i++)
		g[i].waits_for = i + 1 < M ? i + 1 : M / 2;
	assert_int_equal(solve(g, M), 1);
	assert_int_equal(g[0].end, M / 2);
	assert_int_equal(g[0].depth, M / 2);
	assert_int_equal(g[M - 1].cycle, 1);
	assert_int_equal(g[M / 2 - 1].cycle, 0);
	free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_abba),
		cmocka_unit_test(test_self_deadlock),
		cmocka_unit_test(test_three_cycle_order),
		cmocka_unit_test(test_chain_into_cycle),
		cmocka_unit_test(test_chain_to_holder),
		cmocka_unit_test(test_numbering),
		cmocka_unit_test(test_bad_edge),
		cmocka_unit_test(test_no_such_cycle),
		cmocka_unit_test(test_cycle_cursor),
		cmocka_unit_test(test_large),
	};

	return cmocka_run_group_tests_name("graph", tests, NULL, NULL);
}
