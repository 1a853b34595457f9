// SPDX-License-Identifier: GPL-2.0
/*
 * Parser of the "cycles" report. Strict: every line must be one the
 * module writes, in order, or the whole report is refused.
 */
#include "report.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lw_parser {
	const char *p;
	int line;
	char *err;
	size_t errlen;
	char buf[1024];
};

static int lw_fail(struct lw_parser *ps, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(ps->err, ps->errlen, "line %d: ", ps->line);
	if (n < 0 || (size_t)n >= ps->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(ps->err + n, ps->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Next line into ps->buf; 0 at the end of the text. */
static int lw_next(struct lw_parser *ps)
{
	size_t len;
	const char *nl;

	if (!*ps->p)
		return 0;
	nl = strchr(ps->p, '\n');
	len = nl ? (size_t)(nl - ps->p) : strlen(ps->p);
	ps->line++;
	if (len >= sizeof(ps->buf))
		return lw_fail(ps, "line too long"), -1;
	memcpy(ps->buf, ps->p, len);
	ps->buf[len] = '\0';
	ps->p += len + (nl ? 1 : 0);
	return 1;
}

/* "key: value" with exactly @key; returns the value or NULL. */
static const char *lw_value(const char *line, const char *key)
{
	size_t k = strlen(key);

	if (strncmp(line, key, k) || strncmp(line + k, ": ", 2))
		return NULL;
	return line + k + 2;
}

static int lw_int(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || v < min || v > max)
		return -1;
	*out = v;
	return (int)(end - s);
}

static int lw_copy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (!n || n >= size)
		return -1;
	memcpy(dst, src, n + 1);
	return 0;
}

/* "PID COMM" */
static int lw_pid_comm(const char *v, int *pid, char *comm, size_t size)
{
	long p;
	int n = lw_int(v, 0, INT_MAX, &p);

	if (n < 0 || v[n] != ' ')
		return -1;
	*pid = (int)p;
	return lw_copy(comm, size, v + n + 1);
}

/*
 * The value of the next line if it is "@key: ...", taken; NULL (and the
 * line left for the next read) otherwise.
 */
static const char *lw_optional(struct lw_parser *ps, const char *key)
{
	size_t k = strlen(key);

	if (strncmp(ps->p, key, k) || strncmp(ps->p + k, ": ", 2) ||
	    lw_next(ps) != 1)
		return NULL;
	return lw_value(ps->buf, key);
}

/* An optional "KEY: PATH" line of a task's cgroup into @buf. */
static int lw_cgroup(struct lw_parser *ps, const char *key, char *buf,
		     size_t len)
{
	const char *v = lw_optional(ps, key);

	if (v && (v[0] != '/' || lw_copy(buf, len, v)))
		return lw_fail(ps, "bad cgroup line");
	return 0;
}

static int lw_field(struct lw_parser *ps, const char *key, const char **v)
{
	if (lw_next(ps) != 1)
		return lw_fail(ps, "report ends before '%s'", key);
	*v = lw_value(ps->buf, key);
	if (!*v)
		return lw_fail(ps, "expected '%s: ...'", key);
	return 0;
}

/* A lock's address as printed (hex digits, hashed or raw) into @out. */
static int lw_check_addr(const char *v, char *out, size_t len)
{
	if (!*v || v[strspn(v, "0123456789abcdefx")])
		return -1;
	return lw_copy(out, len, v);
}

static int lw_parse_task(struct lw_parser *ps, struct lw_rtask *t)
{
	const char *v;
	long n;
	int len;

	if (lw_field(ps, "  task", &v))
		return -1;
	if (lw_pid_comm(v, &t->pid, t->comm, sizeof(t->comm)))
		return lw_fail(ps, "bad task line");
	if (lw_field(ps, "    state", &v))
		return -1;
	if (lw_copy(t->state, sizeof(t->state), v))
		return lw_fail(ps, "bad state line");
	if (lw_cgroup(ps, "    cgroup", t->cgroup, sizeof(t->cgroup)))
		return -1;
	if (lw_field(ps, "    blocked", &v))
		return -1;
	len = lw_int(v, 0, LONG_MAX, &n);
	if (len < 0 || strcmp(v + len, " s"))
		return lw_fail(ps, "bad blocked time");
	t->blocked_s = n;
	if (lw_field(ps, "    lock", &v))
		return -1;
	len = (int)strcspn(v, " ");
	if (!v[len] || (size_t)len >= sizeof(t->kind) ||
	    lw_copy(t->lock, sizeof(t->lock), v + len + 1))
		return lw_fail(ps, "bad lock line");
	memcpy(t->kind, v, len);
	t->kind[len] = '\0';
	if (lw_field(ps, "    mode", &v))
		return -1;
	if (lw_copy(t->mode, sizeof(t->mode), v))
		return lw_fail(ps, "bad mode line");
	if (lw_field(ps, "    source", &v))
		return -1;
	if (lw_copy(t->source, sizeof(t->source), v))
		return lw_fail(ps, "bad source line");
	if (lw_field(ps, "    addr", &v))
		return -1;
	if (lw_check_addr(v, t->addr, sizeof(t->addr)))
		return lw_fail(ps, "bad addr line");
	if (lw_field(ps, "    owner", &v))
		return -1;
	if (lw_pid_comm(v, &t->owner_pid, t->owner_comm, sizeof(t->owner_comm)))
		return lw_fail(ps, "bad owner line");
	if (lw_field(ps, "    owner-confidence", &v))
		return -1;
	if (lw_copy(t->confidence, sizeof(t->confidence), v))
		return lw_fail(ps, "bad owner-confidence line");
	/* Stack lines follow, up to the next task or cycle. */
	while (*ps->p && !strncmp(ps->p, "    ", 4)) {
		if (lw_next(ps) != 1)
			return -1;
	}
	return 0;
}

/*
 * After the last @noun entry: only blank lines, the mark of a scan that
 * could not examine every task (its count is in stats), or the
 * truncation mark.
 */
static int lw_trailer(struct lw_parser *ps, const char *noun)
{
	int r;

	while ((r = lw_next(ps)) == 1) {
		if (lw_value(ps->buf, "truncated"))
			return lw_fail(ps, "the module truncated the report");
		if (lw_value(ps->buf, "incomplete"))
			continue;
		if (ps->buf[0])
			return lw_fail(ps, "unexpected text after the last %s", noun);
	}
	return r < 0 ? -1 : 0;
}

/* Is @line exactly "lockwatch WHAT N"? Its format N then. */
static bool lw_head(const char *line, const char *what, int *version)
{
	size_t w = strlen(what);
	long n;
	int len;

	if (strncmp(line, "lockwatch ", 10) || strncmp(line + 10, what, w) ||
	    line[10 + w] != ' ' || line[11 + w] < '0' || line[11 + w] > '9')
		return false;
	len = lw_int(line + 11 + w, 0, INT_MAX, &n);
	if (len < 0 || line[11 + w + len])
		return false;
	*version = (int)n;
	return true;
}

/* The shortest entry of a report: "\ncycle 1: 1 task\n" and more. */
#define LW_MIN_ENTRY 16

/*
 * "lockwatch WHAT N" then "WHAT: COUNT" (a count of @noun entries, no
 * more than the rest of the text can hold); returns COUNT or -1.
 */
static long lw_header(struct lw_parser *ps, const char *what,
		      const char *noun, int *version)
{
	const char *v;
	long n;

	if (lw_next(ps) != 1)
		return lw_fail(ps, "empty report");
	if (!lw_head(ps->buf, what, version))
		return lw_fail(ps, "not a lockwatch %s report", what);
	if (*version != LW_READER_FORMAT)
		return lw_fail(ps, "report format %d, this reader reads format %d",
			       *version, LW_READER_FORMAT);
	if (lw_field(ps, what, &v))
		return -1;
	if (!*v || strspn(v, "0123456789") != strlen(v) ||
	    lw_int(v, 0, 1 << 20, &n) < 0)
		return lw_fail(ps, "bad %s count", noun);
	/* Each entry takes a line of its own at least: no more than fit. */
	if ((size_t)n > strlen(ps->p) / LW_MIN_ENTRY)
		return lw_fail(ps, "%ld %ss counted, the report holds fewer", n,
			       noun);
	return n;
}

int lw_parse_cycles(const char *text, struct lw_report *r, char *err,
		    size_t errlen)
{
	struct lw_parser ps = { .p = text, .err = err, .errlen = errlen };
	long n;
	int c, i;

	memset(r, 0, sizeof(*r));
	n = lw_header(&ps, "cycles", "cycle", &r->version);
	if (n < 0)
		return -1;
	r->ncycles = (int)n;
	r->cycles = calloc(n ? n : 1, sizeof(*r->cycles));
	if (!r->cycles)
		return lw_fail(&ps, "out of memory");
	for (c = 0; c < r->ncycles; c++) {
		struct lw_rcycle *cy = &r->cycles[c];
		int num, ntasks, used = 0;
		const char *unit;

		if (lw_next(&ps) != 1 || ps.buf[0])
			goto bad;
		if (lw_next(&ps) != 1 ||
		    sscanf(ps.buf, "cycle %d: %d %n", &num, &ntasks, &used) != 2 ||
		    num != c + 1 || ntasks < 1 || ntasks > 1 << 20)
			goto bad;
		unit = ntasks == 1 ? "task" : "tasks";
		if (strcmp(ps.buf + used, unit))
			goto bad;
		cy->tasks = calloc(ntasks, sizeof(*cy->tasks));
		if (!cy->tasks)
			return lw_fail(&ps, "out of memory");
		cy->ntasks = ntasks;
		for (i = 0; i < ntasks; i++)
			if (lw_parse_task(&ps, &cy->tasks[i]))
				return -1;
	}
	return lw_trailer(&ps, "cycle");
bad:
	return lw_fail(&ps, "expected cycle %d", c + 1);
}

void lw_report_free(struct lw_report *r)
{
	int c;

	for (c = 0; c < r->ncycles && r->cycles; c++)
		free(r->cycles[c].tasks);
	free(r->cycles);
	memset(r, 0, sizeof(*r));
}

/* "PID MODE SECONDS COMM" */
static int lw_parse_waiter(const char *v, struct lw_rwaiter *w)
{
	long pid, secs;
	int n, m;
	size_t len;

	n = lw_int(v, 0, INT_MAX, &pid);
	if (n < 0 || v[n] != ' ')
		return -1;
	v += n + 1;
	len = strcspn(v, " ");
	if (!v[len] || len >= sizeof(w->mode))
		return -1;
	memcpy(w->mode, v, len);
	w->mode[len] = '\0';
	v += len + 1;
	m = lw_int(v, 0, LONG_MAX, &secs);
	if (m < 0 || v[m] != ' ')
		return -1;
	w->pid = (int)pid;
	w->blocked_s = secs;
	return lw_copy(w->comm, sizeof(w->comm), v + m + 1);
}


#define LW_CHAIN_TEXT(key, field) \
	{ key, offsetof(struct lw_rchain, field), \
	  sizeof(((struct lw_rchain *)0)->field) }

/* The text fields of a chain entry and where they go. */
static const struct {
	const char *key;
	size_t off;
	size_t size;
} lw_chain_text[] = {
	LW_CHAIN_TEXT("  held", held),
	LW_CHAIN_TEXT("  frozen", frozen),
	LW_CHAIN_TEXT("  flush", flush),
	LW_CHAIN_TEXT("  reader", reader),
	LW_CHAIN_TEXT("  request", request),
	LW_CHAIN_TEXT("  helper", helper),
	LW_CHAIN_TEXT("  owner-confidence", confidence),
	LW_CHAIN_TEXT("  owner-state", owner_state),
	LW_CHAIN_TEXT("  owner-waits", owner_waits),
	LW_CHAIN_TEXT("  owner-cgroup", owner_cgroup),
	LW_CHAIN_TEXT("  ends", ends),
	LW_CHAIN_TEXT("  ends-cgroup", ends_cgroup),
};

/* One "key: value" line of a chain entry, before its waiters. */
static int lw_chain_field(struct lw_parser *ps, struct lw_rchain *ch)
{
	const char *v;
	size_t i;
	long n;

	for (i = 0; i < LW_ARRAY_SIZE(lw_chain_text); i++) {
		v = lw_value(ps->buf, lw_chain_text[i].key);
		if (!v)
			continue;
		if (lw_copy((char *)ch + lw_chain_text[i].off,
			    lw_chain_text[i].size, v))
			return lw_fail(ps, "bad '%s' line", lw_chain_text[i].key + 2);
		return 0;
	}
	v = lw_value(ps->buf, "  readers");
	if (v && !strcmp(v, "unknown")) {
		ch->count = -1;
		return 0;
	}
	if (!v)
		v = lw_value(ps->buf, "  count");
	if (v) {
		if (lw_int(v, 0, LONG_MAX, &n) < 0)
			return lw_fail(ps, "bad count");
		ch->count = n;
		return 0;
	}
	v = lw_value(ps->buf, "  owner");
	if (v) {
		if (strcmp(v, "-") &&
		    lw_pid_comm(v, &ch->owner_pid, ch->owner_comm,
				sizeof(ch->owner_comm)))
			return lw_fail(ps, "bad owner line");
		return 0;
	}
	return lw_fail(ps, "unexpected line in a chain");
}

/* The kind of wait a chain entry of @kind stands for. */
static const char *lw_wait_of(const char *kind)
{
	if (!strcmp(kind, "wait"))
		return "unknown";
	if (!strcmp(kind, "percpu_rwsem"))
		return "percpu_rwsem";
	if (!strcmp(kind, "folio"))
		return "page";
	if (!strcmp(kind, "io"))
		return "io";
	if (!strcmp(kind, "buffer"))
		return "buffer";
	if (!strcmp(kind, "flusher"))
		return "flusher";
	if (!strcmp(kind, "dirty"))
		return "dirty";
	if (!strcmp(kind, "queue"))
		return "queue";
	if (!strcmp(kind, "rcu"))
		return "rcu";
	if (!strcmp(kind, "fuse"))
		return "fuse";
	if (!strcmp(kind, "umh"))
		return "umh";
	if (!strcmp(kind, "kthread"))
		return "kthread";
	if (!strcmp(kind, "completion"))
		return "completion";
	if (!strcmp(kind, "journal"))
		return "journal";
	return "lock";
}

/*
 * One "chain N: KIND NAME" entry, its header line already in ps->buf. A
 * lock's entry goes on with its address, what is known of its owner and
 * its waiters; a wait known only by its site ("wait") with "wait:
 * unknown", a stack and its waiters.
 */
static int lw_parse_chain(struct lw_parser *ps, struct lw_rchain *ch)
{
	const char *v;
	long n;
	int len, i;

	ch->owner_pid = -1;
	v = strchr(ps->buf, ':');
	len = (int)strcspn(v + 2, " ");
	if (!v[2 + len] || (size_t)len >= sizeof(ch->kind) ||
	    lw_copy(ch->lock, sizeof(ch->lock), v + 2 + len + 1))
		return lw_fail(ps, "bad chain line");
	memcpy(ch->kind, v + 2, len);
	ch->kind[len] = '\0';
	snprintf(ch->wait, sizeof(ch->wait), "%s", lw_wait_of(ch->kind));
	if (!strcmp(ch->kind, "wait")) {
		if (lw_field(ps, "  wait", &v))
			return -1;
		if (strcmp(v, "unknown"))
			return lw_fail(ps, "bad wait line");
	} else if (lw_field(ps, "  addr", &v)) {
		return -1;
	} else if (lw_check_addr(v, ch->addr, sizeof(ch->addr))) {
		return lw_fail(ps, "bad addr line");
	}
	for (;;) {
		if (lw_next(ps) != 1)
			return lw_fail(ps, "chain ends before its waiters");
		/* the stacks are for people */
		if (!strcmp(ps->buf, "  owner-stack:") ||
		    !strcmp(ps->buf, "  stack:") ||
		    !strncmp(ps->buf, "    ", 4))
			continue;
		v = lw_value(ps->buf, "  waiters");
		if (v)
			break;
		if (!strcmp(ch->kind, "wait"))
			return lw_fail(ps, "unexpected line in a wait");
		if (lw_chain_field(ps, ch))
			return -1;
	}
	if (lw_int(v, 1, 1 << 20, &n) < 0 || strspn(v, "0123456789") != strlen(v))
		return lw_fail(ps, "bad waiter count");
	ch->waiters = calloc(n, sizeof(*ch->waiters));
	if (!ch->waiters)
		return lw_fail(ps, "out of memory");
	ch->nwaiters = (int)n;
	for (i = 0; i < ch->nwaiters; i++) {
		if (lw_field(ps, "  waiter", &v))
			return -1;
		if (lw_parse_waiter(v, &ch->waiters[i]))
			return lw_fail(ps, "bad waiter line");
		if (lw_cgroup(ps, "    cgroup", ch->waiters[i].cgroup,
			      sizeof(ch->waiters[i].cgroup)))
			return -1;
	}
	return 0;
}

int lw_parse_chains(const char *text, struct lw_chains *c, char *err,
		    size_t errlen)
{
	struct lw_parser ps = { .p = text, .err = err, .errlen = errlen };
	long n;
	int i, num, used;

	memset(c, 0, sizeof(*c));
	n = lw_header(&ps, "chains", "chain", &c->version);
	if (n < 0)
		return -1;
	c->chains = calloc(n ? n : 1, sizeof(*c->chains));
	if (!c->chains)
		return lw_fail(&ps, "out of memory");
	c->nchains = (int)n;
	for (i = 0; i < c->nchains; i++) {
		used = 0;
		if (lw_next(&ps) != 1 || ps.buf[0] || lw_next(&ps) != 1 ||
		    sscanf(ps.buf, "chain %d: %n", &num, &used) != 1 || !used ||
		    num != i + 1)
			return lw_fail(&ps, "expected chain %d", i + 1);
		if (lw_parse_chain(&ps, &c->chains[i]))
			return -1;
	}
	return lw_trailer(&ps, "chain");
}

/* "  request: AGE|- OP N sectors at N (hctx N tag N)" */
static int lw_parse_request(struct lw_parser *ps, const char *v,
			    struct lw_rdevice *d)
{
	char op[32];
	unsigned long long sectors, at;
	unsigned int hctx, tag;
	long age = -1;
	int n = 0, used = 0;

	if (!strncmp(v, "- ", 2)) {
		n = 2;
	} else {
		n = lw_int(v, 0, LONG_MAX, &age);
		if (n < 0 || strncmp(v + n, " s ", 3))
			return lw_fail(ps, "bad request age");
		n += 3;
	}
	if (sscanf(v + n, "%31s %llu sectors at %llu (hctx %u tag %u)%n", op,
		   &sectors, &at, &hctx, &tag, &used) != 5 || v[n + used])
		return lw_fail(ps, "bad request line");
	if (!d->nrequests++) {
		d->oldest_s = age;
		if (snprintf(d->oldest, sizeof(d->oldest), "%s %llu sectors at %llu",
			     op, sectors, at) >= (int)sizeof(d->oldest))
			return lw_fail(ps, "bad request line");
	}
	return 0;
}

/* One "device NAME MAJ:MIN" entry, its header line in ps->buf. */
static int lw_parse_device(struct lw_parser *ps, struct lw_rdevice *d)
{
	unsigned int major, minor;
	const char *v;
	int used = 0, n;

	if (sscanf(ps->buf, "device %31s %u:%u%n", d->name, &major, &minor,
		   &used) != 3 || ps->buf[used])
		return lw_fail(ps, "bad device line");
	snprintf(d->dev, sizeof(d->dev), "%u:%u", major, minor);
	if (lw_field(ps, "  addr", &v))
		return -1;
	if (lw_check_addr(v, d->addr, sizeof(d->addr)))
		return lw_fail(ps, "bad addr line");
	if (lw_next(ps) != 1)
		return lw_fail(ps, "device ends before its requests");
	v = lw_value(ps->buf, "  state");
	if (v) {
		if (lw_copy(d->state, sizeof(d->state), v))
			return lw_fail(ps, "bad state line");
		if (lw_next(ps) != 1)
			return lw_fail(ps, "device ends before its requests");
	}
	v = lw_value(ps->buf, "  inflight");
	if (!v)
		return lw_fail(ps, "expected 'inflight: ...'");
	d->oldest_s = -1;
	if (!strcmp(v, "unknown")) {
		d->inflight = -1;
	} else {
		n = lw_int(v, 0, INT_MAX, &d->inflight);
		if (n < 0 || (v[n] && strcmp(v + n, " or more")))
			return lw_fail(ps, "bad inflight line");
		d->more = v[n] != '\0';
	}
	for (;;) {
		if (lw_next(ps) != 1)
			return lw_fail(ps, "device ends before its waiters");
		v = lw_value(ps->buf, "  request");
		if (!v)
			break;
		if (d->inflight < 0 || lw_parse_request(ps, v, d))
			return lw_fail(ps, "bad request line");
	}
	if (d->inflight >= 0 && d->nrequests > d->inflight)
		return lw_fail(ps, "more requests than in flight");
	v = lw_value(ps->buf, "  waiters");
	if (!v || lw_int(v, 0, INT_MAX, &d->waiters) != (int)strlen(v))
		return lw_fail(ps, "bad waiters line");
	if (lw_field(ps, "  behind", &v))
		return -1;
	if (lw_int(v, 0, INT_MAX, &d->behind) != (int)strlen(v) ||
	    d->behind < d->waiters)
		return lw_fail(ps, "bad behind line");
	return 0;
}

int lw_parse_devices(const char *text, struct lw_devices *d, char *err,
		     size_t errlen)
{
	struct lw_parser ps = { .p = text, .err = err, .errlen = errlen };
	long n;
	int i;

	memset(d, 0, sizeof(*d));
	n = lw_header(&ps, "devices", "device", &d->version);
	if (n < 0)
		return -1;
	d->devices = calloc(n ? n : 1, sizeof(*d->devices));
	if (!d->devices)
		return lw_fail(&ps, "out of memory");
	d->ndevices = (int)n;
	for (i = 0; i < d->ndevices; i++) {
		if (lw_next(&ps) != 1 || ps.buf[0] || lw_next(&ps) != 1)
			return lw_fail(&ps, "expected device %d", i + 1);
		if (lw_parse_device(&ps, &d->devices[i]))
			return -1;
	}
	return lw_trailer(&ps, "device");
}

void lw_devices_free(struct lw_devices *d)
{
	free(d->devices);
	memset(d, 0, sizeof(*d));
}

void lw_chains_free(struct lw_chains *c)
{
	int i;

	for (i = 0; i < c->nchains && c->chains; i++)
		free(c->chains[i].waiters);
	free(c->chains);
	memset(c, 0, sizeof(*c));
}

int lw_parse_stats(const char *text, struct lw_stats *st, char *err,
		   size_t errlen)
{
	struct lw_parser ps = { .p = text, .err = err, .errlen = errlen };
	char *colon, *end;
	int r;

	memset(st, 0, sizeof(*st));
	if (lw_next(&ps) != 1)
		return lw_fail(&ps, "empty report");
	if (!lw_head(ps.buf, "stats", &st->version))
		return lw_fail(&ps, "not a lockwatch stats report");
	if (st->version != LW_READER_FORMAT)
		return lw_fail(&ps, "report format %d, this reader reads format %d",
			       st->version, LW_READER_FORMAT);
	while ((r = lw_next(&ps)) == 1) {
		colon = strstr(ps.buf, ": ");
		if (!colon || colon == ps.buf ||
		    (size_t)(colon - ps.buf) >= sizeof(st->name[0]) ||
		    st->n == LW_MAX_STATS)
			return lw_fail(&ps, "bad counter line");
		errno = 0;
		st->value[st->n] = strtoull(colon + 2, &end, 10);
		if (errno || end == colon + 2 || *end || colon[2] == '-')
			return lw_fail(&ps, "bad counter value");
		memcpy(st->name[st->n], ps.buf, colon - ps.buf);
		st->name[st->n][colon - ps.buf] = '\0';
		st->n++;
	}
	return r < 0 ? -1 : 0;
}

long long lw_stat(const struct lw_stats *st, const char *name)
{
	int i;

	for (i = 0; i < st->n; i++)
		if (!strcmp(st->name[i], name))
			return (long long)st->value[i];
	return -1;
}

/*
 * What the owner of @ch waits for when it sleeps in S in a wait the
 * module knows ("owner-waits: fuse GETXATTR request of fuse 0:45 /mnt/f,
 * asleep"): its name without the kind into @buf ("GETXATTR request of
 * ..."); false for any other owner-waits.
 */
bool lw_asleep_wait(const char *owner_waits, char *buf, size_t len)
{
	static const char tail[] = ", asleep";
	const char *name = strchr(owner_waits, ' ');
	size_t n = strlen(owner_waits);
	int w;

	if (!name || n < sizeof(tail) ||
	    strcmp(owner_waits + n - (sizeof(tail) - 1), tail))
		return false;
	name++;
	w = snprintf(buf, len, "%.*s", (int)(owner_waits + n -
					      (sizeof(tail) - 1) - name), name);
	return w > 0 && (size_t)w < len;
}

/* Why a user-mode helper's entry @ch names no helper process. */
const char *lw_umh_unowned(const struct lw_rchain *ch)
{
	if (!strcmp(ch->helper, "waited for until it runs"))
		return "the caller waits only until the helper runs; it has not run yet";
	return "no helper process is found: it has not been started yet, or has exited";
}

/*
 * What the owner of @ch, which waits for no lock, does: its chain's end
 * after its pid and name, and its role where the module gives one ("516
 * bindfs, the FUSE daemon, stopped ..."): "asleep (S) in msleep for 40
 * s", or NULL where the module says only its state.
 */
const char *lw_chain_doing(const struct lw_rchain *ch)
{
	char who[96];
	const char *rest, *role_end;
	int n = snprintf(who, sizeof(who), "%d %s", ch->owner_pid,
			 ch->owner_comm);

	if (n < 0 || (size_t)n >= sizeof(who) || strncmp(ch->ends, who, n))
		return NULL;
	rest = ch->ends + n;
	role_end = strncmp(rest, ", the ", 6) ? NULL : strstr(rest + 6, ", ");
	if (role_end)
		rest = role_end + 2;
	else if (*rest == ' ')
		rest++;
	else
		return NULL;
	return strstr(rest, "waits for no lock") ? NULL : rest;
}
