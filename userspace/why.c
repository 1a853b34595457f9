// SPDX-License-Identifier: GPL-2.0
/*
 * lockwatch why PID: one task's whole story, from the reports only. What
 * it waits for, who holds that, what the holder waits for or does, and so
 * on to the root: a deadlock cycle (its members), an owner that waits
 * for no lock (what it does), a lock nobody is recorded holding, or a
 * wait known only by its site.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "output.h"

/* Steps followed at most: every owner once, and a bound. */
#define LW_WHY_MAX 64

/* One task of the story: what it waits for, in which entry. */
struct lw_step {
	int pid;
	const char *comm;
	const struct lw_rchain *chain;	/* waits in this chain, or */
	const struct lw_rcycle *cycle;	/* is a member of this cycle */
	int ncycle;
	long blocked_s;
	const char *mode;
};

static const struct lw_rcycle *lw_find_cycle(const struct lw_all *a, int pid,
					     int *n)
{
	int c, i;

	for (c = 0; c < a->cycles.ncycles; c++)
		for (i = 0; i < a->cycles.cycles[c].ntasks; i++)
			if (a->cycles.cycles[c].tasks[i].pid == pid) {
				*n = c + 1;
				return &a->cycles.cycles[c];
			}
	return NULL;
}

static const struct lw_rchain *lw_find_waiter(const struct lw_all *a, int pid,
					      const struct lw_rwaiter **w)
{
	int c, i;

	for (c = 0; c < a->chains.nchains; c++)
		for (i = 0; i < a->chains.chains[c].nwaiters; i++)
			if (a->chains.chains[c].waiters[i].pid == pid) {
				*w = &a->chains.chains[c].waiters[i];
				return &a->chains.chains[c];
			}
	return NULL;
}

static const struct lw_rchain *lw_find_owned(const struct lw_all *a, int pid)
{
	int c;

	for (c = 0; c < a->chains.nchains; c++)
		if (a->chains.chains[c].owner_pid == pid)
			return &a->chains.chains[c];
	return NULL;
}

/*
 * The story of @pid, step by step into @st (at most LW_WHY_MAX): each
 * step a task and what it waits in. Returns the number of steps; 0 when
 * @pid waits in no report. *@owns is an entry @pid owns when it waits
 * for nothing.
 */
static int lw_story(const struct lw_all *a, int pid, struct lw_step *st,
		    const struct lw_rchain **owns)
{
	const struct lw_rwaiter *w;
	int n = 0, i, cur = pid;
	const char *comm = NULL;

	*owns = NULL;
	while (n < LW_WHY_MAX) {
		struct lw_step *s = &st[n];

		memset(s, 0, sizeof(*s));
		s->pid = cur;
		s->cycle = lw_find_cycle(a, cur, &s->ncycle);
		if (s->cycle) {
			s->comm = comm;
			n++;
			break;
		}
		s->chain = lw_find_waiter(a, cur, &w);
		if (!s->chain) {
			if (!n)
				*owns = lw_find_owned(a, cur);
			break;
		}
		s->comm = w->comm;
		s->blocked_s = w->blocked_s;
		s->mode = w->mode;
		n++;
		if (s->chain->owner_pid < 0 ||
		    (strncmp(s->chain->owner_waits, "chain ", 6) &&
		     strncmp(s->chain->owner_waits, "cycle ", 6)))
			break;
		/* An owner seen before: the story went round; stop. */
		for (i = 0; i < n && st[i].pid != s->chain->owner_pid; i++)
			;
		if (i < n)
			break;
		cur = s->chain->owner_pid;
		comm = s->chain->owner_comm;
	}
	return n;
}

/* How chain @ch's lock is held, when no owner is named. */
static const char *lw_unowned(const struct lw_rchain *ch)
{
	if (!strcmp(ch->frozen, "yes"))
		return "the file system is frozen: the freeze holds it, no task does";
	if (!strcmp(ch->held, "write"))
		return "held for write by a writer that is not recorded";
	if (!strcmp(ch->held, "read"))
		return "read-held; readers are not recorded";
	if (!strcmp(ch->wait, "dirty"))
		return "throttled until the device writes dirty pages back; no task holds it";
	if (!strcmp(ch->wait, "fuse"))
		return "no process holds the connection's /dev/fuse open: its daemon is gone";
	if (!strcmp(ch->wait, "umh"))
		return lw_umh_unowned(ch);
	if (!strcmp(ch->wait, "kthread"))
		return LW_KTHREAD_UNOWNED;
	if (!strcmp(ch->wait, "rcu"))
		return "no reader is seen holding it up (CPUs that have not passed a quiescent state are in RCU's own state)";
	return "nobody is recorded holding it";
}

static void lw_why_text(const struct lw_step *st, int n)
{
	const struct lw_rcycle *cy;
	const struct lw_rchain *ch;
	const struct lw_rtask *t;
	const char *doing;
	char what[sizeof(st->chain->owner_waits)];
	int i, k, first;

	for (i = 0; i < n; i++) {
		cy = st[i].cycle;
		if (cy) {
			for (first = 0; first < cy->ntasks - 1 &&
			     cy->tasks[first].pid != st[i].pid; first++)
				;
			printf("%d %s is in deadlock cycle %d (%d tasks):\n",
			       st[i].pid, cy->tasks[first].comm, st[i].ncycle,
			       cy->ntasks);
			for (k = 0; k < cy->ntasks; k++) {
				t = &cy->tasks[(first + k) % cy->ntasks];
				printf("  %d %s waits (%s, %ld s) for %s %s, held by %d %s (%s)\n",
				       t->pid, t->comm, t->mode, t->blocked_s,
				       t->kind, t->lock, t->owner_pid,
				       t->owner_comm, t->confidence);
			}
			return;
		}
		ch = st[i].chain;
		if (!strcmp(ch->wait, "unknown")) {
			printf("%d %s sleeps (%ld s) in %s, a wait lockwatch cannot name\n",
			       st[i].pid, st[i].comm, st[i].blocked_s, ch->lock);
			return;
		}
		printf("%d %s waits (%s, %ld s) for %s %s\n", st[i].pid,
		       st[i].comm, st[i].mode, st[i].blocked_s, ch->kind,
		       ch->lock);
		if (ch->owner_pid < 0) {
			printf("  %s\n", lw_unowned(ch));
			if (!strncmp(ch->ends, "I/O on ", 7))
				printf("  the root: %s\n", ch->ends);
			return;
		}
		if (ch->reader[0])
			printf("  held up by %d %s (%s: %s)\n", ch->owner_pid,
			       ch->owner_comm, ch->confidence, ch->reader);
		else if (!strcmp(ch->wait, "umh"))
			printf("  run as %d %s (%s)\n", ch->owner_pid,
			       ch->owner_comm, ch->confidence);
		else if (!strcmp(ch->wait, "kthread"))
			printf("  to be made by %d %s (%s)\n", ch->owner_pid,
			       ch->owner_comm, ch->confidence);
		else
			printf("  held by %d %s (%s)\n", ch->owner_pid,
			       ch->owner_comm, ch->confidence);
		if (i + 1 < n)
			continue;
		doing = lw_chain_doing(ch);
		if (!strncmp(ch->owner_waits, "chain ", 6) ||
		    !strncmp(ch->owner_waits, "cycle ", 6))
			printf("%d %s: its wait was met before in this story\n",
			       ch->owner_pid, ch->owner_comm);
		else if (!strcmp(ch->owner_waits, "readers"))
			printf("%d %s waits for the readers to leave (not recorded)\n",
			       ch->owner_pid, ch->owner_comm);
		else if (lw_asleep_wait(ch->owner_waits, what, sizeof(what)))
			printf("%d %s sleeps (S) waiting for its %s\n  the root: %s\n",
			       ch->owner_pid, ch->owner_comm, what, ch->ends);
		else if (doing)
			printf("%d %s %s%s\n", ch->owner_pid, ch->owner_comm,
			       strncmp(doing, "has ", 4) ? "is " : "", doing);
		else
			printf("%d %s waits for no lock (%s)\n", ch->owner_pid,
			       ch->owner_comm, ch->owner_state);
	}
}

static json_object *lw_why_json_task(int pid, const char *comm)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "pid", json_object_new_int(pid));
	json_object_object_add(o, "comm", json_object_new_string(comm ? comm : ""));
	return o;
}

static void lw_why_json(int pid, const struct lw_step *st, int n,
			const struct lw_rchain *owns)
{
	json_object *doc = json_object_new_object();
	json_object *path = json_object_new_array();
	const struct lw_rtask *t;
	json_object *o;
	int i, k;

	json_object_object_add(doc, "pid", json_object_new_int(pid));
	json_object_object_add(doc, "stuck", json_object_new_boolean(n > 0));
	for (i = 0; i < n; i++) {
		if (st[i].cycle) {
			o = json_object_new_object();
			json_object_object_add(o, "cycle", json_object_new_int(st[i].ncycle));
			json_object *members = json_object_new_array();

			for (k = 0; k < st[i].cycle->ntasks; k++) {
				t = &st[i].cycle->tasks[k];
				json_object *m = lw_why_json_task(t->pid, t->comm);

				json_object_object_add(m, "lock", json_object_new_string(t->lock));
				json_object_object_add(m, "kind", json_object_new_string(t->kind));
				json_object_object_add(m, "mode", json_object_new_string(t->mode));
				json_object_object_add(m, "blocked_seconds",
						       json_object_new_int64(t->blocked_s));
				json_object_object_add(m, "owner", lw_why_json_task(t->owner_pid,
										  t->owner_comm));
				json_object_array_add(members, m);
			}
			json_object_object_add(o, "members", members);
			json_object_array_add(path, o);
			break;
		}
		o = lw_why_json_task(st[i].pid, st[i].comm);
		json_object_object_add(o, "wait", json_object_new_string(st[i].chain->wait));
		json_object_object_add(o, "kind", json_object_new_string(st[i].chain->kind));
		json_object_object_add(o, "lock", json_object_new_string(st[i].chain->lock));
		json_object_object_add(o, "mode", json_object_new_string(st[i].mode));
		json_object_object_add(o, "blocked_seconds",
				       json_object_new_int64(st[i].blocked_s));
		if (st[i].chain->owner_pid >= 0) {
			json_object *ow = lw_why_json_task(st[i].chain->owner_pid,
							   st[i].chain->owner_comm);

			json_object_object_add(ow, "confidence",
					       json_object_new_string(st[i].chain->confidence));
			json_object_object_add(ow, "state",
					       json_object_new_string(st[i].chain->owner_state));
			json_object_object_add(ow, "ends", json_object_new_string(st[i].chain->ends));
			json_object_object_add(o, "owner", ow);
		} else {
			json_object_object_add(o, "owner", NULL);
		}
		json_object_array_add(path, o);
	}
	json_object_object_add(doc, "path", path);
	json_object_object_add(doc, "holds", owns ?
			       json_object_new_string(owns->lock) : NULL);
	puts(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
}

/*
 * A task in no report: its name and state from /proc when the reports
 * are the live ones (@live). 0, or -1 when there is no such task, or
 * nothing can say (reports read from a directory).
 */
static int lw_proc_task(int pid, bool live, char *comm, size_t len,
			char *state)
{
	char path[64], line[512];
	const char *p;
	FILE *f;

	*state = '?';
	snprintf(comm, len, "?");
	if (!live)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	p = strrchr(line, ')');
	if (p && p[1] == ' ' && p[2])
		*state = p[2];
	p = strchr(line, '(');
	if (p && strrchr(line, ')') > p)
		snprintf(comm, len, "%.*s", (int)(strrchr(line, ')') - p - 1),
			 p + 1);
	return 0;
}

int lw_why(const struct lw_all *a, int pid, bool json, bool live)
{
	struct lw_step st[LW_WHY_MAX];
	const struct lw_rchain *owns;
	int n = lw_story(a, pid, st, &owns);
	char comm[64], state;
	bool known = !lw_proc_task(pid, live, comm, sizeof(comm), &state);

	if (!n && !owns && !known) {
		fprintf(stderr, live ? "lockwatch: no task %d\n" :
			"lockwatch: %d is in none of these reports\n", pid);
		return LW_EXIT_ERROR;
	}
	if (json) {
		lw_why_json(pid, st, n, owns);
	} else if (n) {
		lw_why_text(st, n);
	} else if (owns) {
		printf("%d %s is not stuck; it holds %s %s\n", pid,
		       owns->owner_comm, owns->kind, owns->lock);
	} else if (state == 'D') {
		printf("%d %s is in D state but in no report yet: a task is reported once it has waited confirm_ms without progress\n",
		       pid, comm);
	} else {
		printf("%d %s is not stuck (%c)\n", pid, comm, state);
	}
	return LW_EXIT_OK;
}
