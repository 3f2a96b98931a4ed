/* The default configuration of `foundry spec`: runc's (libcontainer/specconv.Example and
 * ToRootless), so that tools and people who start from `runc spec` get the same bundle. */
#include <config.h> /* autoconf's; "config.h" would find spec/config.h */

#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "spec/config-internal.h"

#define LIST(...) ((const char *const[]){ __VA_ARGS__, NULL })

static char **strv_from(const char *const *list, size_t *n)
{
	size_t count = 0;
	char **v;

	while (list[count])
		count++;
	v = xzalloc((count + 1) * sizeof(char *));
	for (size_t i = 0; i < count; i++)
		v[i] = xstrdup(list[i]);
	*n = count;
	return v;
}

static struct spec_process *default_process(void)
{
	struct spec_process *p = xzalloc(sizeof *p);
	struct spec_capabilities *c = xzalloc(sizeof *c);
	const char *const *caps = LIST("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");

	p->terminal = true;
	p->args = strv_from(LIST("sh"), &p->n_args);
	p->env = strv_from(LIST("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"),
			   &p->n_env);
	p->cwd = xstrdup("/");
	c->bounding = strv_from(caps, &c->n_bounding);
	c->effective = strv_from(caps, &c->n_effective);
	c->permitted = strv_from(caps, &c->n_permitted);
	c->ambient = strv_from(caps, &c->n_ambient);
	c->has_bounding = c->has_effective = c->has_permitted = c->has_ambient = true;
	p->capabilities = c;
	p->rlimits = xzalloc(sizeof *p->rlimits);
	p->n_rlimits = 1;
	p->rlimits[0].type = xstrdup("RLIMIT_NOFILE");
	p->rlimits[0].hard = 1024;
	p->rlimits[0].soft = 1024;
	p->no_new_privileges = true;
	return p;
}

struct default_mount {
	const char *destination, *type, *source;
	const char *const *options;
};

static void default_mounts(struct spec_config *c)
{
	const struct default_mount mounts[] = {
		{ "/proc", "proc", "proc", NULL },
		{ "/dev", "tmpfs", "tmpfs", LIST("nosuid", "strictatime", "mode=755", "size=65536k") },
		{ "/dev/pts", "devpts", "devpts",
		  LIST("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5") },
		{ "/dev/shm", "tmpfs", "shm", LIST("nosuid", "noexec", "nodev", "mode=1777", "size=65536k") },
		{ "/dev/mqueue", "mqueue", "mqueue", LIST("nosuid", "noexec", "nodev") },
		{ "/sys", "sysfs", "sysfs", LIST("nosuid", "noexec", "nodev", "ro") },
		{ "/sys/fs/cgroup", "cgroup", "cgroup", LIST("nosuid", "noexec", "nodev", "relatime", "ro") },
	};

	c->n_mounts = ARRAY_SIZE(mounts);
	c->mounts = xzalloc(c->n_mounts * sizeof *c->mounts);
	for (size_t i = 0; i < c->n_mounts; i++) {
		c->mounts[i].destination = xstrdup(mounts[i].destination);
		c->mounts[i].type = xstrdup(mounts[i].type);
		c->mounts[i].source = xstrdup(mounts[i].source);
		if (mounts[i].options)
			c->mounts[i].options = strv_from(mounts[i].options, &c->mounts[i].n_options);
	}
}

static struct spec_linux *default_linux(void)
{
	static const enum spec_namespace_type namespaces[] = {
		SPEC_NS_PID, SPEC_NS_NETWORK, SPEC_NS_IPC, SPEC_NS_UTS, SPEC_NS_MOUNT,
	};
	struct spec_linux *l = xzalloc(sizeof *l);

	/* Deny every device in the cgroup; the default devices are allowed by the runtime. */
	l->resources = xzalloc(sizeof *l->resources);
	l->resources->devices = xzalloc(sizeof *l->resources->devices);
	l->resources->n_devices = 1;
	l->resources->devices[0].allow = false;
	l->resources->devices[0].access = xstrdup("rwm");
	l->n_namespaces = ARRAY_SIZE(namespaces);
	l->namespaces = xzalloc(l->n_namespaces * sizeof *l->namespaces);
	for (size_t i = 0; i < l->n_namespaces; i++)
		l->namespaces[i].type = namespaces[i];
	l->masked_paths =
	    strv_from(LIST("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
			   "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"),
		      &l->n_masked_paths);
	l->has_masked_paths = true;
	l->readonly_paths = strv_from(LIST("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"),
				      &l->n_readonly_paths);
	l->has_readonly_paths = true;
	return l;
}

/* Drops the options a rootless container cannot use (runc: "gid=5" on devpts fails when
 * gid 5 is not mapped). */
static void drop_gid_options(struct spec_mount *m)
{
	size_t k = 0;

	for (size_t i = 0; i < m->n_options; i++) {
		if (strncmp(m->options[i], "gid=", 4) == 0)
			free(m->options[i]);
		else
			m->options[k++] = m->options[i];
	}
	m->n_options = k;
	if (m->options)
		m->options[k] = NULL;
}

static void make_rootless(struct spec_config *c, uint32_t uid, uint32_t gid)
{
	struct spec_linux *l = c->linux_;
	size_t k = 0;

	/* A user namespace instead of a network namespace: an unprivileged user cannot
	 * configure a new network namespace's interfaces anyway. */
	for (size_t i = 0; i < l->n_namespaces; i++)
		if (l->namespaces[i].type != SPEC_NS_NETWORK)
			l->namespaces[k++] = l->namespaces[i];
	l->namespaces[k++].type = SPEC_NS_USER;
	l->n_namespaces = k;
	l->uid_mappings = xzalloc(sizeof *l->uid_mappings);
	l->uid_mappings[0] = (struct spec_id_mapping){ .container_id = 0, .host_id = uid, .size = 1 };
	l->n_uid_mappings = 1;
	l->gid_mappings = xzalloc(sizeof *l->gid_mappings);
	l->gid_mappings[0] = (struct spec_id_mapping){ .container_id = 0, .host_id = gid, .size = 1 };
	l->n_gid_mappings = 1;
	spec_resources_free(l->resources);
	l->resources = NULL;
	for (size_t i = 0; i < c->n_mounts; i++) {
		struct spec_mount *m = &c->mounts[i];
		drop_gid_options(m);
		/* sysfs cannot be mounted without owning the network namespace: bind the host's. */
		if (strcmp(m->destination, "/sys") == 0) {
			free(m->type);
			free(m->source);
			fy_strv_free(m->options);
			m->type = xstrdup("none");
			m->source = xstrdup("/sys");
			m->options = strv_from(LIST("rbind", "nosuid", "noexec", "nodev", "ro"), &m->n_options);
		}
	}
}

struct spec_config *spec_config_default(bool rootless, uint32_t uid, uint32_t gid)
{
	struct spec_config *c = xzalloc(sizeof *c);

	c->oci_version = xstrdup(FY_SPEC_VERSION);
	c->process = default_process();
	c->root = xzalloc(sizeof *c->root);
	c->root->path = xstrdup("rootfs");
	c->root->readonly = true;
	c->hostname = xstrdup("foundry");
	default_mounts(c);
	c->linux_ = default_linux();
	if (rootless)
		make_rootless(c, uid, gid);
	return c;
}
