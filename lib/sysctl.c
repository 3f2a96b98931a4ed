#include "config.h"

#include "lib/sysctl.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/util.h"

/* ipc_namespaces(7) and ipc/ipc_sysctl.c: the IPC limits the kernel keeps per namespace.
 * The same list as runc, so that configs written for it behave alike. */
static const char *const ipc_keys[] = {
	"kernel/msgmax", "kernel/msgmnb", "kernel/msgmni", "kernel/sem",
	"kernel/shmall", "kernel/shmmax", "kernel/shmmni", "kernel/shm_rmid_forced",
};

static bool valid_component(const char *s, size_t n)
{
	return n > 0 && !(n == 1 && s[0] == '.') && !(n == 2 && s[0] == '.' && s[1] == '.');
}

char *sysctl_key_to_path(const char *key, struct fy_error **err)
{
	size_t first = strcspn(key, "./");
	bool swap = key[first] == '.';
	char *path = xstrdup(key);

	if (swap) {
		for (char *p = path; *p; p++) {
			if (*p == '.')
				*p = '/';
			else if (*p == '/')
				*p = '.';
		}
	}
	for (const char *p = path;;) {
		size_t n = strcspn(p, "/");

		if (!valid_component(p, n)) {
			free(path);
			fy_error_set(err, EINVAL, "sysctl \"%s\": not a valid key (empty, \".\" or \"..\" component)",
				     key);
			return NULL;
		}
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	return path;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool is_ipc_key(const char *path)
{
	if (has_prefix(path, "fs/mqueue/"))
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(ipc_keys); i++)
		if (strcmp(path, ipc_keys[i]) == 0)
			return true;
	return false;
}

int sysctl_check_key(const char *key, const struct sysctl_namespaces *ns, struct fy_error **err)
{
	_cleanup_free_ char *path = sysctl_key_to_path(key, err);

	if (path == NULL)
		return -1;
	if (is_ipc_key(path)) {
		if (!ns->ipc)
			return fy_error_set(err, EINVAL,
					    "sysctl \"%s\": the container needs its own ipc namespace to set it (it "
					    "would change the host's value)",
					    key);
		return 0;
	}
	if (has_prefix(path, "net/")) {
		if (!ns->net)
			return fy_error_set(err, EINVAL,
					    "sysctl \"%s\": the container needs its own network namespace to set it "
					    "(it would change the host's value)",
					    key);
		return 0;
	}
	if (strcmp(path, "kernel/hostname") == 0 || strcmp(path, "kernel/domainname") == 0) {
		if (!ns->uts)
			return fy_error_set(err, EINVAL,
					    "sysctl \"%s\": the container needs its own uts namespace to set it (it "
					    "would change the host's value)",
					    key);
		return 0;
	}
	return fy_error_set(
	    err, EINVAL, "sysctl \"%s\": not scoped by a namespace of the container: it would change the host's value",
	    key);
}

/* The runtime's own namespace of each type, under /proc/self/ns. */
static const char *proc_ns_name(enum spec_namespace_type type)
{
	switch (type) {
	case SPEC_NS_NETWORK: return "net";
	case SPEC_NS_IPC: return "ipc";
	case SPEC_NS_UTS: return "uts";
	default: return NULL;
	}
}

static const struct spec_namespace *find_namespace(const struct spec_linux *l, enum spec_namespace_type type)
{
	for (size_t i = 0; l && i < l->n_namespaces; i++)
		if (l->namespaces[i].type == type)
			return &l->namespaces[i];
	return NULL;
}

static int own_namespace(const struct spec_config *config, enum spec_namespace_type type, bool *own,
			 struct fy_error **err)
{
	const struct spec_namespace *ns = find_namespace(config->linux_, type);
	const char *name = proc_ns_name(type);
	struct stat target, mine;

	*own = false;
	if (ns == NULL)
		return 0;
	if (ns->path == NULL) {
		*own = true;
		return 0;
	}
	if (stat(ns->path, &target) < 0)
		return fy_error_sys(err, "stat the %s namespace \"%s\"", name, ns->path);
	_cleanup_free_ char *self = xasprintf("/proc/self/ns/%s", name);
	if (stat(self, &mine) < 0)
		return fy_error_sys(err, "stat \"%s\"", self);
	*own = target.st_dev != mine.st_dev || target.st_ino != mine.st_ino;
	return 0;
}

int sysctl_namespaces_of(const struct spec_config *config, struct sysctl_namespaces *ns, struct fy_error **err)
{
	memset(ns, 0, sizeof *ns);
	if (own_namespace(config, SPEC_NS_NETWORK, &ns->net, err) < 0 ||
	    own_namespace(config, SPEC_NS_IPC, &ns->ipc, err) < 0 ||
	    own_namespace(config, SPEC_NS_UTS, &ns->uts, err) < 0)
		return -1;
	return 0;
}

int sysctl_validate(const struct spec_config *config, struct fy_error **err)
{
	struct sysctl_namespaces ns;

	if (config->linux_ == NULL || config->linux_->n_sysctl == 0)
		return 0;
	if (sysctl_namespaces_of(config, &ns, err) < 0)
		return fy_error_wrap(err, ".linux.sysctl");
	for (size_t i = 0; i < config->linux_->n_sysctl; i++)
		if (sysctl_check_key(config->linux_->sysctl[i].key, &ns, err) < 0)
			return fy_error_wrap(err, ".linux.sysctl");
	return 0;
}

static int write_one(int procsys, const struct spec_kv *kv, struct fy_error **err)
{
	_cleanup_free_ char *path = sysctl_key_to_path(kv->key, err);
	_cleanup_close_ int fd = -1;
	const char *value = kv->value ? kv->value : "";
	struct statfs sfs;

	if (path == NULL)
		return -1;
	fd = openat(procsys, path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return fy_error_sys(err, "sysctl \"%s\": open /proc/sys/%s", kv->key, path);
	/* Only ever write to procfs, whatever the container's image put in the way. */
	if (fstatfs(fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)
		return fy_error_set(err, EXDEV, "sysctl \"%s\": /proc/sys/%s is not on procfs", kv->key, path);
	if (fy_write_all(fd, value, strlen(value)) < 0)
		return fy_error_sys(err, "sysctl \"%s\": write \"%s\"", kv->key, value);
	return 0;
}

int sysctl_apply(const struct spec_linux *linux_, struct fy_error **err)
{
	_cleanup_close_ int procsys = -1;

	if (linux_ == NULL || linux_->n_sysctl == 0)
		return 0;
	procsys = open("/proc/sys", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (procsys < 0)
		return fy_error_sys(err, "apply .linux.sysctl: open /proc/sys");
	for (size_t i = 0; i < linux_->n_sysctl; i++)
		if (write_one(procsys, &linux_->sysctl[i], err) < 0)
			return fy_error_wrap(err, "apply .linux.sysctl");
	return 0;
}
