#include "config.h"

#include "lib/lsm.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/util.h"

void lsm_probe(const char *root, struct lsm_host *host)
{
	_cleanup_free_ char *aa = xasprintf("%s/sys/module/apparmor/parameters/enabled", root);
	_cleanup_free_ char *se = xasprintf("%s/sys/fs/selinux/enforce", root);
	_cleanup_free_ char *enabled = NULL;
	struct fy_error *ignored = NULL;

	memset(host, 0, sizeof *host);
	if (fy_read_file(aa, &enabled, NULL, &ignored) == 0)
		host->apparmor = enabled[0] == 'Y';
	fy_error_free(&ignored);
	host->selinux = access(se, F_OK) == 0;
}

int lsm_validate_for(const struct spec_config *config, const struct lsm_host *host, struct fy_error **err)
{
	const struct spec_process *proc = config->process;

	if (proc && proc->apparmor_profile && *proc->apparmor_profile && !host->apparmor)
		return fy_error_set(err, EINVAL, "process.apparmorProfile \"%s\": AppArmor is not enabled on this host",
				    proc->apparmor_profile);
	if (proc && proc->selinux_label && *proc->selinux_label && !host->selinux)
		return fy_error_set(err, EINVAL, "process.selinuxLabel \"%s\": SELinux is not enabled on this host",
				    proc->selinux_label);
	if (config->linux_ && config->linux_->mount_label && *config->linux_->mount_label && !host->selinux)
		fy_warn("linux.mountLabel \"%s\": SELinux is not enabled on this host, ignored",
			config->linux_->mount_label);
	return 0;
}

int lsm_validate(const struct spec_config *config, struct fy_error **err)
{
	struct lsm_host host;

	lsm_probe("", &host);
	return lsm_validate_for(config, &host, err);
}

static int write_attr(const char *path, const char *data, struct fy_error **err)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return fy_error_sys(err, "open %s", path);
	/* The LSM takes the whole value in one write, or refuses it. */
	if (write(fd, data, strlen(data)) != (ssize_t)strlen(data))
		return fy_error_sys(err, "write \"%s\" to %s", data, path);
	return 0;
}

int lsm_apparmor_exec(const char *profile, struct fy_error **err)
{
	_cleanup_free_ char *cmd = xasprintf("exec %s", profile);

	/* Since Linux 5.1 AppArmor has its own directory, so that it can stack with other
	 * LSMs; older kernels only have the shared attr/exec. */
	if (write_attr("/proc/thread-self/attr/apparmor/exec", cmd, err) == 0)
		return 0;
	if ((*err)->errnum == ENOENT) {
		fy_error_free(err);
		if (write_attr("/proc/thread-self/attr/exec", cmd, err) == 0)
			return 0;
	}
	return fy_error_wrap(err, "apply AppArmor profile \"%s\"", profile);
}

int lsm_selinux_exec(const char *label, struct fy_error **err)
{
	if (write_attr("/proc/thread-self/attr/exec", label, err) == 0)
		return 0;
	return fy_error_wrap(err, "apply SELinux label \"%s\"", label);
}

int lsm_apply_exec(const struct spec_config *config, struct fy_error **err)
{
	const struct spec_process *proc = config->process;

	if (proc && proc->apparmor_profile && *proc->apparmor_profile &&
	    lsm_apparmor_exec(proc->apparmor_profile, err) < 0)
		return -1;
	if (proc && proc->selinux_label && *proc->selinux_label && lsm_selinux_exec(proc->selinux_label, err) < 0)
		return -1;
	return 0;
}

char *lsm_mount_label_option(const char *mount_label, const struct lsm_host *host)
{
	if (mount_label == NULL || *mount_label == '\0' || !host->selinux)
		return NULL;
	return xasprintf("context=\"%s\"", mount_label);
}
