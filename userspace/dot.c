// SPDX-License-Identifier: GPL-2.0
/*
 * lockwatch graph: the wait-for graph of the reports as Graphviz DOT.
 * Tasks are boxes, locks and waits ellipses; a task's wait is an edge to
 * what it waits for, labelled with its mode, and an owner is an edge from
 * the lock to its task, labelled with the owner's confidence. Cycles are
 * red. More than LW_DOT_FOLD waiters behind one lock outside a cycle are
 * one node that says how many they are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "output.h"

#define LW_DOT_FOLD 8

struct lw_dot_node {
	char id[32];
	char label[700];
	const char *shape;
	int red;
};

struct lw_dot_edge {
	char from[32];
	char to[32];
	char label[48];
	int red;
};

struct lw_dot {
	struct lw_dot_node *nodes;
	struct lw_dot_edge *edges;
	int nnodes, nedges, cap_nodes, cap_edges;
	/* the locks, by kind and address, for their node ids */
	char (*locks)[600];
	int nlocks, cap_locks;
	int failed;
};

static void *lw_grow(void *p, int *cap, int n, size_t size, int *failed)
{
	void *q;

	if (n < *cap)
		return p;
	q = realloc(p, (size_t)(*cap ? *cap * 2 : 64) * size);
	if (!q) {
		*failed = 1;
		return NULL;
	}
	*cap = *cap ? *cap * 2 : 64;
	return q;
}

static struct lw_dot_node *lw_dot_find(struct lw_dot *g, const char *id)
{
	int i;

	for (i = 0; i < g->nnodes; i++)
		if (!strcmp(g->nodes[i].id, id))
			return &g->nodes[i];
	return NULL;
}

/* Node @id, added with @label and @shape unless there; red sticks. */
static void lw_dot_node(struct lw_dot *g, const char *id, const char *label,
			const char *shape, int red)
{
	struct lw_dot_node *n = lw_dot_find(g, id), *p;

	if (!n) {
		p = lw_grow(g->nodes, &g->cap_nodes, g->nnodes, sizeof(*p),
			    &g->failed);
		if (!p)
			return;
		g->nodes = p;
		n = &g->nodes[g->nnodes++];
		snprintf(n->id, sizeof(n->id), "%s", id);
		snprintf(n->label, sizeof(n->label), "%s", label);
		n->shape = shape;
		n->red = 0;
	}
	n->red |= red;
}

static void lw_dot_edge(struct lw_dot *g, const char *from, const char *to,
			const char *label, int red)
{
	struct lw_dot_edge *e;
	int i;

	for (i = 0; i < g->nedges; i++) {
		e = &g->edges[i];
		if (!strcmp(e->from, from) && !strcmp(e->to, to)) {
			e->red |= red;
			return;
		}
	}
	e = lw_grow(g->edges, &g->cap_edges, g->nedges, sizeof(*e), &g->failed);
	if (!e)
		return;
	g->edges = e;
	e = &g->edges[g->nedges++];
	snprintf(e->from, sizeof(e->from), "%s", from);
	snprintf(e->to, sizeof(e->to), "%s", to);
	snprintf(e->label, sizeof(e->label), "%s", label);
	e->red = red;
}

/* The node id of the lock of @kind at @addr named @name. */
static void lw_dot_lock(struct lw_dot *g, const char *kind, const char *addr,
			const char *name, int red, char *id, size_t len)
{
	char key[600], label[600];
	void *p;
	int i;

	/* Two entries can share an address: a journal's commit and handles. */
	snprintf(key, sizeof(key), "%s %s %s", kind, addr, name);
	for (i = 0; i < g->nlocks; i++)
		if (!strcmp(g->locks[i], key))
			break;
	if (i == g->nlocks) {
		p = lw_grow(g->locks, &g->cap_locks, g->nlocks, sizeof(*g->locks),
			    &g->failed);
		if (!p) {
			snprintf(id, len, "l0");
			return;
		}
		g->locks = p;
		memcpy(g->locks[g->nlocks++], key, sizeof(key));
	}
	snprintf(id, len, "l%d", i + 1);
	snprintf(label, sizeof(label), "%s %s", kind, name);
	lw_dot_node(g, id, label, "ellipse", red);
}

/* A task's node: pid and name, state, time blocked, cgroup. */
static void lw_dot_task(struct lw_dot *g, int pid, const char *comm,
			const char *state, long blocked_s, const char *cgroup,
			int red, char *id, size_t len)
{
	char label[500];
	int n;

	snprintf(id, len, "t%d", pid);
	n = snprintf(label, sizeof(label), "%d %s%s%s", pid, comm,
		     state[0] ? "\n" : "", state);
	if (blocked_s >= 0 && n > 0 && (size_t)n < sizeof(label))
		n += snprintf(label + n, sizeof(label) - n, "%sblocked %ld s",
			      state[0] ? ", " : "\n", blocked_s);
	if (cgroup[0] && n > 0 && (size_t)n < sizeof(label))
		snprintf(label + n, sizeof(label) - n, "\ncgroup %s", cgroup);
	lw_dot_node(g, id, label, "box", red);
}

static void lw_dot_wait_label(char *buf, size_t len, const char *mode)
{
	if (!mode[0] || !strcmp(mode, "-"))
		snprintf(buf, len, "waits");
	else
		snprintf(buf, len, "waits (%s)", mode);
}

static void lw_dot_cycles(struct lw_dot *g, const struct lw_report *r)
{
	char tid[32], lid[32], oid[32], label[48];
	int c, i;

	/* Every member first, so that its node says its state. */
	for (c = 0; c < r->ncycles; c++)
		for (i = 0; i < r->cycles[c].ntasks; i++)
			lw_dot_task(g, r->cycles[c].tasks[i].pid,
				    r->cycles[c].tasks[i].comm,
				    r->cycles[c].tasks[i].state,
				    r->cycles[c].tasks[i].blocked_s,
				    r->cycles[c].tasks[i].cgroup, 1, tid,
				    sizeof(tid));
	for (c = 0; c < r->ncycles; c++) {
		for (i = 0; i < r->cycles[c].ntasks; i++) {
			const struct lw_rtask *t = &r->cycles[c].tasks[i];

			snprintf(tid, sizeof(tid), "t%d", t->pid);
			lw_dot_lock(g, t->kind, t->addr, t->lock, 1, lid,
				    sizeof(lid));
			lw_dot_wait_label(label, sizeof(label), t->mode);
			lw_dot_edge(g, tid, lid, label, 1);
			lw_dot_task(g, t->owner_pid, t->owner_comm, "", -1, "",
				    1, oid, sizeof(oid));
			snprintf(label, sizeof(label), "owner (%s)",
				 t->confidence);
			lw_dot_edge(g, lid, oid, label, 1);
		}
	}
}

static void lw_dot_chains(struct lw_dot *g, const struct lw_chains *cs)
{
	char tid[32], lid[32], label[700];
	int c, i;

	for (c = 0; c < cs->nchains; c++) {
		const struct lw_rchain *ch = &cs->chains[c];

		lw_dot_lock(g, ch->kind, ch->addr, ch->lock, 0, lid, sizeof(lid));
		if (ch->owner_pid >= 0) {
			lw_dot_task(g, ch->owner_pid, ch->owner_comm,
				    ch->owner_state, -1, ch->owner_cgroup, 0,
				    tid, sizeof(tid));
			snprintf(label, sizeof(label), "owner (%s)",
				 ch->confidence);
			lw_dot_edge(g, lid, tid, label, 0);
		}
		if (ch->nwaiters > LW_DOT_FOLD) {
			long longest = 0;

			for (i = 0; i < ch->nwaiters; i++)
				if (ch->waiters[i].blocked_s > longest)
					longest = ch->waiters[i].blocked_s;
			snprintf(tid, sizeof(tid), "w%d", c + 1);
			snprintf(label, sizeof(label), "%d tasks\nblocked up to %ld s",
				 ch->nwaiters, longest);
			lw_dot_node(g, tid, label, "box3d", 0);
			snprintf(label, sizeof(label), "%d wait", ch->nwaiters);
			lw_dot_edge(g, tid, lid, label, 0);
			continue;
		}
		for (i = 0; i < ch->nwaiters; i++) {
			const struct lw_rwaiter *w = &ch->waiters[i];

			lw_dot_task(g, w->pid, w->comm, "", w->blocked_s,
				    w->cgroup, 0, tid, sizeof(tid));
			lw_dot_wait_label(label, sizeof(label), w->mode);
			lw_dot_edge(g, tid, lid, label, 0);
		}
	}
}

/* @s as the inside of a DOT string: quotes and backslashes escaped. */
static void lw_dot_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '\n')
			fputs("\\n", stdout);
		else if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

int lw_print_dot(const struct lw_all *a)
{
	struct lw_dot g = { 0 };
	const char *red = ", color=red, fontcolor=red, penwidth=2";
	int i;

	lw_dot_cycles(&g, &a->cycles);
	lw_dot_chains(&g, &a->chains);
	if (g.failed) {
		fprintf(stderr, "lockwatch: out of memory\n");
		free(g.nodes);
		free(g.edges);
		free(g.locks);
		return -1;
	}
	printf("digraph lockwatch {\n");
	printf("\tgraph [rankdir=LR, labelloc=t, label=\"lockwatch: %d deadlock %s, %d %s\"];\n",
	       a->cycles.ncycles, lw_plural(a->cycles.ncycles, "cycle", "cycles"),
	       a->chains.nchains, lw_plural(a->chains.nchains, "chain", "chains"));
	printf("\tnode [fontname=\"Helvetica\", fontsize=10];\n");
	printf("\tedge [fontname=\"Helvetica\", fontsize=9];\n");
	for (i = 0; i < g.nnodes; i++) {
		printf("\t%s [shape=%s, label=", g.nodes[i].id, g.nodes[i].shape);
		lw_dot_string(g.nodes[i].label);
		printf("%s];\n", g.nodes[i].red ? red : "");
	}
	for (i = 0; i < g.nedges; i++) {
		printf("\t%s -> %s [label=", g.edges[i].from, g.edges[i].to);
		lw_dot_string(g.edges[i].label);
		printf("%s];\n", g.edges[i].red ? red : "");
	}
	printf("}\n");
	free(g.nodes);
	free(g.edges);
	free(g.locks);
	return 0;
}
