#include "config.h"

#include "lib/mounts.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "lib/error.h"
#include "lib/util.h"

/* mount(8)'s option words and the flag each sets or clears (runc's table). */
static const struct {
	const char *name;
	bool clear;
	unsigned long flag;
} mount_flag_options[] = {
	{ "async", true, MS_SYNCHRONOUS },
	{ "atime", true, MS_NOATIME },
	{ "bind", false, MS_BIND },
	{ "defaults", false, 0 },
	{ "dev", true, MS_NODEV },
	{ "diratime", true, MS_NODIRATIME },
	{ "dirsync", false, MS_DIRSYNC },
	{ "exec", true, MS_NOEXEC },
	{ "iversion", false, MS_I_VERSION },
	{ "lazytime", false, MS_LAZYTIME },
	{ "loud", true, MS_SILENT },
	{ "mand", false, MS_MANDLOCK },
	{ "noatime", false, MS_NOATIME },
	{ "nodev", false, MS_NODEV },
	{ "nodiratime", false, MS_NODIRATIME },
	{ "noexec", false, MS_NOEXEC },
	{ "noiversion", true, MS_I_VERSION },
	{ "nolazytime", true, MS_LAZYTIME },
	{ "nomand", true, MS_MANDLOCK },
	{ "norelatime", true, MS_RELATIME },
	{ "nostrictatime", true, MS_STRICTATIME },
	{ "nosuid", false, MS_NOSUID },
	{ "nosymfollow", false, MS_NOSYMFOLLOW },
	{ "symfollow", true, MS_NOSYMFOLLOW },
	{ "rbind", false, MS_BIND | MS_REC },
	{ "relatime", false, MS_RELATIME },
	{ "remount", false, MS_REMOUNT },
	{ "ro", false, MS_RDONLY },
	{ "rw", true, MS_RDONLY },
	{ "silent", false, MS_SILENT },
	{ "strictatime", false, MS_STRICTATIME },
	{ "suid", true, MS_NOSUID },
	{ "sync", false, MS_SYNCHRONOUS },
};

static const struct {
	const char *name;
	unsigned long flag;
} propagation_options[] = {
	{ "private", MS_PRIVATE },       { "rprivate", MS_PRIVATE | MS_REC },
	{ "shared", MS_SHARED },         { "rshared", MS_SHARED | MS_REC },
	{ "slave", MS_SLAVE },           { "rslave", MS_SLAVE | MS_REC },
	{ "unbindable", MS_UNBINDABLE }, { "runbindable", MS_UNBINDABLE | MS_REC },
};

/* The recursive forms: MOUNT_ATTR_* set (or cleared) on the mount and every submount.
 * An atime mode replaces the others, so setting one also clears MOUNT_ATTR__ATIME. */
static const struct {
	const char *name;
	bool clear;
	unsigned long long attr;
} recursive_options[] = {
	{ "rro", false, MOUNT_ATTR_RDONLY },
	{ "rrw", true, MOUNT_ATTR_RDONLY },
	{ "rnosuid", false, MOUNT_ATTR_NOSUID },
	{ "rsuid", true, MOUNT_ATTR_NOSUID },
	{ "rnodev", false, MOUNT_ATTR_NODEV },
	{ "rdev", true, MOUNT_ATTR_NODEV },
	{ "rnoexec", false, MOUNT_ATTR_NOEXEC },
	{ "rexec", true, MOUNT_ATTR_NOEXEC },
	{ "rnodiratime", false, MOUNT_ATTR_NODIRATIME },
	{ "rdiratime", true, MOUNT_ATTR_NODIRATIME },
	{ "rnosymfollow", false, MOUNT_ATTR_NOSYMFOLLOW },
	{ "rsymfollow", true, MOUNT_ATTR_NOSYMFOLLOW },
	{ "rnoatime", false, MOUNT_ATTR_NOATIME },
	{ "ratime", true, MOUNT_ATTR_NOATIME },
	{ "rstrictatime", false, MOUNT_ATTR_STRICTATIME },
	{ "rnostrictatime", true, MOUNT_ATTR_STRICTATIME },
	{ "rrelatime", false, MOUNT_ATTR_RELATIME },
	{ "rnorelatime", true, MOUNT_ATTR_NOATIME },
};

static bool apply_recursive_option(const char *opt, struct mount_step *step)
{
	for (size_t i = 0; i < ARRAY_SIZE(recursive_options); i++) {
		if (strcmp(recursive_options[i].name, opt) != 0)
			continue;
		unsigned long long attr = recursive_options[i].attr;
		bool atime = attr == MOUNT_ATTR_RELATIME || (attr & MOUNT_ATTR__ATIME);
		if (recursive_options[i].clear) {
			step->rec_clear |= atime ? MOUNT_ATTR__ATIME : attr;
			step->rec_set &= ~attr;
		} else {
			step->rec_set |= attr;
			step->rec_clear |= atime ? MOUNT_ATTR__ATIME : 0;
			step->rec_clear &= atime ? ~0ULL : ~attr;
		}
		return true;
	}
	return false;
}

/* Options the runtime itself consumes and never passes to the filesystem. */
static const char *const ignored_options[] = { "tmpcopyup" };

unsigned long mount_propagation_flag(const char *name)
{
	for (size_t i = 0; name && i < ARRAY_SIZE(propagation_options); i++)
		if (strcmp(propagation_options[i].name, name) == 0)
			return propagation_options[i].flag;
	return 0;
}

static void append_data(char **data, const char *opt)
{
	if (*data == NULL) {
		*data = xstrdup(opt);
		return;
	}
	char *joined = xasprintf("%s,%s", *data, opt);
	free(*data);
	*data = joined;
}

static bool apply_flag_option(const char *opt, struct mount_step *step)
{
	for (size_t i = 0; i < ARRAY_SIZE(mount_flag_options); i++) {
		if (strcmp(mount_flag_options[i].name, opt) != 0)
			continue;
		if (mount_flag_options[i].clear) {
			step->flags &= ~mount_flag_options[i].flag;
			step->clear |= mount_flag_options[i].flag;
		} else {
			step->flags |= mount_flag_options[i].flag;
			step->clear &= ~mount_flag_options[i].flag;
		}
		return true;
	}
	return false;
}

int mount_options_parse(char *const *options, size_t n, struct mount_step *step, struct fy_error **err)
{
	for (size_t i = 0; i < n; i++) {
		const char *opt = options[i];
		if (apply_flag_option(opt, step) || apply_recursive_option(opt, step))
			continue;
		if (strcmp(opt, "idmap") == 0 || strcmp(opt, "ridmap") == 0)
			return fy_error_set(err, 0, "option \"%s\": idmapped mounts are not supported yet", opt);
		unsigned long prop = mount_propagation_flag(opt);
		if (prop) {
			if (step->n_propagation == ARRAY_SIZE(step->propagation))
				return fy_error_set(err, 0, "too many propagation options");
			step->propagation[step->n_propagation++] = prop;
			continue;
		}
		bool ignored = false;
		for (size_t j = 0; j < ARRAY_SIZE(ignored_options); j++)
			ignored = ignored || strcmp(ignored_options[j], opt) == 0;
		if (!ignored)
			append_data(&step->data, opt);
	}
	return 0;
}

static int plan_one(const struct spec_mount *m, const char *bundle, struct mount_step *step, struct fy_error **err)
{
	if (m->destination == NULL || m->destination[0] != '/')
		return fy_error_set(err, 0, "destination \"%s\": expected an absolute path",
				    m->destination ? m->destination : "");
	step->destination = xstrdup(m->destination);
	if (m->n_uid_mappings || m->n_gid_mappings)
		return fy_error_set(err, 0,
				    "mount of \"%s\": uidMappings/gidMappings (idmapped mounts) are not "
				    "supported yet",
				    m->destination);
	if (mount_options_parse(m->options, m->n_options, step, err) < 0)
		return -1;
	step->bind = (step->flags & MS_BIND) || (m->type && strcmp(m->type, "bind") == 0);
	if (step->bind) {
		step->flags |= MS_BIND;
		if (m->source == NULL)
			return fy_error_set(err, 0, "bind mount of \"%s\": source is required", m->destination);
		/* config.md: a relative source is relative to the bundle. */
		step->source = m->source[0] == '/' ? xstrdup(m->source) : xasprintf("%s/%s", bundle, m->source);
		/* mount(2) ignores every flag but MS_REC on a bind: the rest needs a remount. */
		step->remount_bind = (step->flags & ~(MS_BIND | MS_REC | MS_REMOUNT)) != 0;
	} else {
		if (m->type == NULL)
			return fy_error_set(err, 0, "mount of \"%s\": type is required unless it is a bind mount",
					    m->destination);
		step->type = xstrdup(m->type);
		step->source = xstrdup(m->source ? m->source : m->type);
	}
	return 0;
}

int mount_plan_build(const struct spec_config *config, const char *bundle, struct mount_plan *plan,
		     struct fy_error **err)
{
	memset(plan, 0, sizeof *plan);
	plan->steps = xzalloc((config->n_mounts ? config->n_mounts : 1) * sizeof *plan->steps);
	for (size_t i = 0; i < config->n_mounts; i++) {
		plan->n_steps = i + 1;
		if (plan_one(&config->mounts[i], bundle, &plan->steps[i], err) < 0)
			return fy_error_wrap(err, "config.json: .mounts[%zu]", i);
	}
	const char *prop = config->linux_ ? config->linux_->rootfs_propagation : NULL;
	if (prop) {
		plan->root_propagation = mount_propagation_flag(prop);
		if (plan->root_propagation == 0)
			return fy_error_set(err, 0,
					    "config.json: .linux.rootfsPropagation: expected one of shared, slave, "
					    "private, unbindable (optionally with r), got \"%s\"",
					    prop);
	}
	return 0;
}

void mount_plan_free(struct mount_plan *plan)
{
	for (size_t i = 0; i < plan->n_steps; i++) {
		free(plan->steps[i].source);
		free(plan->steps[i].destination);
		free(plan->steps[i].type);
		free(plan->steps[i].data);
	}
	free(plan->steps);
	memset(plan, 0, sizeof *plan);
}
