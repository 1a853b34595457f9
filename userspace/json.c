// SPDX-License-Identifier: GPL-2.0
/* The reader's JSON: one document, built with json-c. */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include <json-c/json.h>

#include "output.h"

/* A cgroup path, null for the root cgroup. */
static json_object *lw_json_cgroup(const char *path)
{
	return path[0] ? json_object_new_string(path) : NULL;
}

static json_object *lw_json_task(const struct lw_rtask *t)
{
	json_object *o = json_object_new_object();
	json_object *lock = json_object_new_object();
	json_object *owner = json_object_new_object();

	json_object_object_add(o, "pid", json_object_new_int(t->pid));
	json_object_object_add(o, "comm", json_object_new_string(t->comm));
	json_object_object_add(o, "state", json_object_new_string(t->state));
	json_object_object_add(o, "cgroup", lw_json_cgroup(t->cgroup));
	json_object_object_add(o, "blocked_seconds", json_object_new_int64(t->blocked_s));
	json_object_object_add(lock, "kind", json_object_new_string(t->kind));
	json_object_object_add(lock, "name", json_object_new_string(t->lock));
	json_object_object_add(o, "lock", lock);
	json_object_object_add(o, "mode", json_object_new_string(t->mode));
	json_object_object_add(o, "source", json_object_new_string(t->source));
	json_object_object_add(owner, "pid", json_object_new_int(t->owner_pid));
	json_object_object_add(owner, "comm", json_object_new_string(t->owner_comm));
	json_object_object_add(owner, "confidence", json_object_new_string(t->confidence));
	json_object_object_add(o, "owner", owner);
	return o;
}

static json_object *lw_json_chain(const struct lw_rchain *ch)
{
	json_object *o = json_object_new_object();
	json_object *lock = json_object_new_object();
	json_object *owner = NULL;
	json_object *waiters = json_object_new_array();
	int i;

	json_object_object_add(lock, "kind", json_object_new_string(ch->kind));
	json_object_object_add(lock, "name", json_object_new_string(ch->lock));
	json_object_object_add(o, "lock", lock);
	json_object_object_add(o, "wait", json_object_new_string(ch->wait));
	json_object_object_add(o, "held", json_object_new_string(ch->held));
	json_object_object_add(o, "frozen", ch->frozen[0] ?
			       json_object_new_string(ch->frozen) : NULL);
	json_object_object_add(o, "flush", ch->flush[0] ?
			       json_object_new_string(ch->flush) : NULL);
	json_object_object_add(o, "reader", ch->reader[0] ?
			       json_object_new_string(ch->reader) : NULL);
	json_object_object_add(o, "request", ch->request[0] ?
			       json_object_new_string(ch->request) : NULL);
	json_object_object_add(o, "helper", ch->helper[0] ?
			       json_object_new_string(ch->helper) : NULL);
	json_object_object_add(o, "count", ch->count < 0 ? NULL :
			       json_object_new_int64(ch->count));
	if (ch->owner_pid >= 0) {
		owner = json_object_new_object();
		json_object_object_add(owner, "pid", json_object_new_int(ch->owner_pid));
		json_object_object_add(owner, "comm", json_object_new_string(ch->owner_comm));
		json_object_object_add(owner, "confidence",
				       json_object_new_string(ch->confidence));
		json_object_object_add(owner, "state", json_object_new_string(ch->owner_state));
		json_object_object_add(owner, "waits", json_object_new_string(ch->owner_waits));
		json_object_object_add(owner, "cgroup", lw_json_cgroup(ch->owner_cgroup));
	}
	json_object_object_add(o, "owner", owner);
	json_object_object_add(o, "ends", ch->ends[0] ? json_object_new_string(ch->ends) : NULL);
	json_object_object_add(o, "ends_cgroup", lw_json_cgroup(ch->ends_cgroup));
	for (i = 0; i < ch->nwaiters; i++) {
		json_object *w = json_object_new_object();

		json_object_object_add(w, "pid", json_object_new_int(ch->waiters[i].pid));
		json_object_object_add(w, "comm", json_object_new_string(ch->waiters[i].comm));
		json_object_object_add(w, "mode", json_object_new_string(ch->waiters[i].mode));
		json_object_object_add(w, "blocked_seconds",
				       json_object_new_int64(ch->waiters[i].blocked_s));
		json_object_object_add(w, "cgroup", lw_json_cgroup(ch->waiters[i].cgroup));
		json_object_array_add(waiters, w);
	}
	json_object_object_add(o, "waiters", waiters);
	return o;
}

/* The loaded module's version, or NULL where /sys does not say. */
static json_object *lw_json_module_version(void)
{
	char buf[64];
	FILE *f = fopen("/sys/module/lockwatch/version", "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf[0] ? json_object_new_string(buf) : NULL;
}

/* A disk chains end at; a count the module could not read is null. */
static json_object *lw_json_device(const struct lw_rdevice *d)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "name", json_object_new_string(d->name));
	json_object_object_add(o, "dev", json_object_new_string(d->dev));
	json_object_object_add(o, "state", d->state[0] ?
			       json_object_new_string(d->state) : NULL);
	json_object_object_add(o, "inflight", d->inflight < 0 ? NULL :
			       json_object_new_int64(d->inflight));
	json_object_object_add(o, "inflight_more", json_object_new_boolean(d->more));
	json_object_object_add(o, "oldest_seconds", d->oldest_s < 0 ? NULL :
			       json_object_new_int64(d->oldest_s));
	json_object_object_add(o, "oldest", d->nrequests ?
			       json_object_new_string(d->oldest) : NULL);
	json_object_object_add(o, "waiters", json_object_new_int64(d->waiters));
	json_object_object_add(o, "behind", json_object_new_int64(d->behind));
	return o;
}

void lw_print_json(const struct lw_all *a)
{
	struct utsname u;
	json_object *root = json_object_new_object();
	json_object *cycles = json_object_new_array();
	json_object *chains = json_object_new_array();
	json_object *stats = json_object_new_object();
	json_object *devices = json_object_new_array();
	int c, i;

	json_object_object_add(root, "format", json_object_new_int(LW_READER_FORMAT));
	json_object_object_add(root, "kernel",
			       uname(&u) ? NULL : json_object_new_string(u.release));
	json_object_object_add(root, "module_version", lw_json_module_version());
	for (c = 0; c < a->cycles.ncycles; c++) {
		json_object *tasks = json_object_new_array();

		for (i = 0; i < a->cycles.cycles[c].ntasks; i++)
			json_object_array_add(tasks, lw_json_task(&a->cycles.cycles[c].tasks[i]));
		json_object_array_add(cycles, tasks);
	}
	for (c = 0; c < a->chains.nchains; c++)
		json_object_array_add(chains, lw_json_chain(&a->chains.chains[c]));
	for (i = 0; i < a->stats.n; i++)
		json_object_object_add(stats, a->stats.name[i],
				       json_object_new_uint64(a->stats.value[i]));
	for (c = 0; c < a->devices.ndevices; c++)
		json_object_array_add(devices, lw_json_device(&a->devices.devices[c]));
	json_object_object_add(root, "cycles", cycles);
	json_object_object_add(root, "chains", chains);
	json_object_object_add(root, "devices", devices);
	json_object_object_add(root, "stats", stats);
	printf("%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
						       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
}
