// SPDX-License-Identifier: GPL-2.0
/*
 * The control interface, /sys/kernel/lockwatch: a scan on demand (scan)
 * and the layouts from BTF (layouts, naming/layout.c). Every write the module
 * takes lives here, in sysfs: once the kernel is locked down (Secure
 * Boot's integrity mode and above) debugfs refuses every file that can
 * be written and every open for writing, while the reports (debugfs.c),
 * read-only, still read. It starts scans, and has new layouts tried,
 * through the functions main.c hands in; nothing below it calls back up.
 */
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>

#include "iface.h"

static struct kobject *lw_kobj;
static int (*lw_scan_now_fn)(void);
static lw_layouts_check_fn lw_check_fn;

static ssize_t lw_scan_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	unsigned int val;
	int ret;

	ret = kstrtouint(buf, 10, &val);
	if (ret)
		return ret;
	if (val != 1)
		return -EINVAL;
	ret = lw_scan_now_fn();
	return ret ? ret : count;
}

static ssize_t lw_layouts_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return lw_layouts_print(buf);
}

static ssize_t lw_layouts_store(struct kobject *kobj,
				struct kobj_attribute *attr, const char *buf,
				size_t count)
{
	int ret = lw_layouts_set(buf, count, lw_check_fn);

	return ret ? ret : count;
}

static struct kobj_attribute lw_scan_attr = __ATTR(scan, 0200, NULL,
						   lw_scan_store);
static struct kobj_attribute lw_layouts_attr = __ATTR(layouts, 0600,
						      lw_layouts_show,
						      lw_layouts_store);

static struct attribute *lw_attrs[] = {
	&lw_scan_attr.attr,
	&lw_layouts_attr.attr,
	NULL,
};

static const struct attribute_group lw_group = {
	.attrs = lw_attrs,
};

int lw_control_init(int (*scan_now)(void), lw_layouts_check_fn check)
{
	int ret;

	lw_scan_now_fn = scan_now;
	lw_check_fn = check;
	lw_kobj = kobject_create_and_add("lockwatch", kernel_kobj);
	if (!lw_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(lw_kobj, &lw_group);
	if (ret)
		kobject_put(lw_kobj);
	return ret;
}

/* Returns once no write is running; none can start after. */
void lw_control_exit(void)
{
	sysfs_remove_group(lw_kobj, &lw_group);
	kobject_put(lw_kobj);
}
