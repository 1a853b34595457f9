// SPDX-License-Identifier: GPL-2.0
/*
 * A fixed-size open-addressed map from kernel addresses to indices, sized
 * at load time so that a scan never allocates.
 */
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "lib.h"

int lw_map_init(struct lw_map *m, unsigned int entries)
{
	unsigned int size = roundup_pow_of_two(2 * entries);

	m->keys = lw_alloc(size, sizeof(*m->keys), "the scan's maps");
	m->vals = lw_alloc(size, sizeof(*m->vals), "the scan's maps");
	m->filled = lw_alloc(size / 2, sizeof(*m->filled), "the scan's maps");
	if (!m->keys || !m->vals || !m->filled) {
		lw_map_free(m);
		return -ENOMEM;
	}
	m->mask = size - 1;
	m->used = 0;
	return 0;
}

void lw_map_free(struct lw_map *m)
{
	kvfree(m->keys);
	kvfree(m->vals);
	kvfree(m->filled);
	m->keys = NULL;
	m->vals = NULL;
	m->filled = NULL;
}

void lw_map_clear(struct lw_map *m)
{
	unsigned int i;

	for (i = 0; i < m->used; i++)
		m->keys[m->filled[i]] = 0;
	m->used = 0;
}

static unsigned int lw_map_slot(const struct lw_map *m, unsigned long key)
{
	return hash_long(key, 32) & m->mask;
}

int lw_map_get(const struct lw_map *m, unsigned long key)
{
	unsigned int i = lw_map_slot(m, key), n;

	for (n = 0; n <= m->mask; n++, i = (i + 1) & m->mask) {
		if (!m->keys[i])
			return LW_NONE;
		if (m->keys[i] == key)
			return m->vals[i];
	}
	return LW_NONE;
}

/* Store or replace; false when the map is half full (it stays usable). */
bool lw_map_put(struct lw_map *m, unsigned long key, int val)
{
	unsigned int i = lw_map_slot(m, key);

	for (;; i = (i + 1) & m->mask) {
		if (m->keys[i] == key) {
			m->vals[i] = val;
			return true;
		}
		if (!m->keys[i])
			break;
	}
	if (m->used >= (m->mask + 1) / 2)
		return false;
	m->keys[i] = key;
	m->vals[i] = val;
	m->filled[m->used++] = i;
	return true;
}

/* What the map's arrays take. */
size_t lw_map_bytes(const struct lw_map *m)
{
	return (size_t)(m->mask + 1) * (sizeof(*m->keys) + sizeof(*m->vals)) +
	       (size_t)(m->mask + 1) / 2 * sizeof(*m->filled);
}
