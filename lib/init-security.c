#include "config.h"

#include "lib/init-security.h"

#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/lsm.h"
#include "lib/process.h"
#include "lib/sched.h"
#include "lib/seccomp-notify.h"
#include "lib/sync.h"
#include "lib/sysctl.h"
#include "lib/util.h"

int security_prepare(const struct spec_config *config, struct security_plan *p, struct fy_error **err)
{
	const struct spec_seccomp *s = config->linux_ ? config->linux_->seccomp : NULL;

	memset(p, 0, sizeof *p);
	if (sysctl_validate(config, err) < 0 || sched_validate(config, err) < 0 || lsm_validate(config, err) < 0)
		return -1;
	if (caps_plan(config->process->capabilities, &p->caps, err) < 0)
		return -1;
	if (s == NULL)
		return 0;
	if (seccomp_plan_build(s, &p->seccomp, err) < 0)
		return -1;
	p->has_seccomp = true;
	p->filter = seccomp_filter_build(&p->seccomp, err);
	return p->filter ? 0 : -1;
}

void security_plan_free(struct security_plan *p)
{
	if (p->filter)
		seccomp_release(p->filter);
	if (p->has_seccomp)
		seccomp_plan_free(&p->seccomp);
	memset(p, 0, sizeof *p);
}

int security_apply_sysctl(const struct spec_config *config, struct fy_error **err)
{
	return sysctl_apply(config->linux_, err);
}

static int load_seccomp(const struct security_plan *p, int sync_fd, struct fy_error **err)
{
	int notify_fd = -1;

	if (seccomp_filter_load(p->filter, &p->seccomp, &notify_fd, err) < 0)
		return -1;
	if (notify_fd < 0)
		return 0;
	int r = sync_send_fd(sync_fd, SYNC_SECCOMP, notify_fd);
	close(notify_fd);
	if (r < 0)
		return fy_error_sys(err, "send the seccomp notify fd to the runtime");
	return sync_expect(sync_fd, SYNC_SECCOMP_DONE, err);
}

int security_apply(const struct spec_config *config, const struct security_plan *p, int sync_fd, struct fy_error **err)
{
	bool nnp = config->process->no_new_privileges;

	if (sched_apply_process(config, err) < 0 || lsm_apply_exec(config, err) < 0)
		return -1;
	if (caps_apply_bounding(&p->caps, err) < 0)
		return -1;
	/* Without no_new_privs only CAP_SYS_ADMIN lets a filter in: load it while we have it. */
	if (p->has_seccomp && !nnp && load_seccomp(p, sync_fd, err) < 0)
		return -1;
	if (caps_prepare_keep(err) < 0 || process_set_user(&config->process->user, err) < 0 ||
	    caps_apply_after_setuid(&p->caps, err) < 0)
		return -1;
	if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return fy_error_sys(err, "set no_new_privs");
	if (p->has_seccomp && nnp && load_seccomp(p, sync_fd, err) < 0)
		return -1;
	return 0;
}

int security_hand_over_notify_fd(const struct spec_config *config, int sync_fd, pid_t pid, const char *state_json,
				 struct fy_error **err)
{
	const struct spec_seccomp *s = config->linux_->seccomp;
	int fd;

	if (sync_expect_fd(sync_fd, SYNC_SECCOMP, &fd, err) < 0)
		return -1;
	int r = seccomp_listener_send(s->listener_path, fd, pid, s->listener_metadata, state_json, err);
	close(fd);
	if (r < 0)
		return -1;
	if (sync_send(sync_fd, SYNC_SECCOMP_DONE, 0, NULL) < 0)
		return fy_error_sys(err, "resume the container's init");
	return 0;
}
