#include "config.h"

#include "lib/namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/sys.h"
#include "lib/util.h"

static const enum spec_namespace_type join_order[] = {
	/* The user namespace first: joining it grants the capabilities the others need. */
	SPEC_NS_USER, SPEC_NS_IPC, SPEC_NS_UTS, SPEC_NS_NETWORK, SPEC_NS_MOUNT, SPEC_NS_CGROUP,
};

const char *ns_proc_name(enum spec_namespace_type type)
{
	static const char *const names[SPEC_NS_COUNT] = {
		[SPEC_NS_PID] = "pid", [SPEC_NS_NETWORK] = "net", [SPEC_NS_MOUNT] = "mnt",     [SPEC_NS_IPC] = "ipc",
		[SPEC_NS_UTS] = "uts", [SPEC_NS_USER] = "user",   [SPEC_NS_CGROUP] = "cgroup", [SPEC_NS_TIME] = "time",
	};
	return names[type];
}

int ns_plan_build(const struct spec_linux *linux_, struct ns_plan *plan, struct fy_error **err)
{
	memset(plan, 0, sizeof *plan);
	for (int i = 0; i < SPEC_NS_COUNT; i++)
		plan->join_fd[i] = -1;
	for (size_t i = 0; linux_ && i < linux_->n_namespaces; i++) {
		const struct spec_namespace *ns = &linux_->namespaces[i];
		const char *name = spec_namespace_type_name(ns->type);
		int flag = spec_namespace_clone_flag(ns->type);

		plan->has[ns->type] = true;
		if (ns->path == NULL || ns->path[0] == '\0') {
			if (ns->type == SPEC_NS_CGROUP)
				plan->unshare_cgroup = true;
			else if (ns->type == SPEC_NS_TIME)
				plan->unshare_time = true;
			else
				plan->clone_flags |= (unsigned long)flag;
			continue;
		}
		int fd = open(ns->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return fy_error_sys(err, "config.json: .linux.namespaces[%zu]: open %s namespace \"%s\"", i,
					    name, ns->path);
		plan->join_fd[ns->type] = fd;
		int type = ioctl(fd, NS_GET_NSTYPE);
		if (type < 0)
			return fy_error_set(err, 0, "config.json: .linux.namespaces[%zu]: \"%s\" is not a namespace", i,
					    ns->path);
		if (type != flag)
			return fy_error_set(err, 0, "config.json: .linux.namespaces[%zu]: \"%s\" is not a %s namespace",
					    i, ns->path, name);
	}
	if (linux_ && linux_->time_offsets && !plan->unshare_time)
		return fy_error_set(err, 0,
				    "config.json: .linux.timeOffsets: needs a new time namespace "
				    "in .linux.namespaces");
	return 0;
}

void ns_plan_close(struct ns_plan *plan)
{
	for (int i = 0; i < SPEC_NS_COUNT; i++) {
		if (plan->join_fd[i] >= 0)
			close(plan->join_fd[i]);
		plan->join_fd[i] = -1;
	}
}

static const struct {
	enum spec_namespace_type type;
	const char *self;
} for_children[2] = {
	{ SPEC_NS_PID, "/proc/self/ns/pid" },
	{ SPEC_NS_TIME, "/proc/self/ns/time" },
};

int ns_enter_for_children(const struct ns_plan *plan, int saved[2], struct fy_error **err)
{
	for (int i = 0; i < 2; i++) {
		saved[i] = -1;
		int fd = plan->join_fd[for_children[i].type];
		if (fd < 0)
			continue;
		saved[i] = open(for_children[i].self, O_RDONLY | O_CLOEXEC);
		if (saved[i] < 0)
			return fy_error_sys(err, "open \"%s\"", for_children[i].self);
		if (setns(fd, 0) < 0)
			return fy_error_sys(err, "join %s namespace", spec_namespace_type_name(for_children[i].type));
	}
	return 0;
}

int ns_restore_for_children(int saved[2], struct fy_error **err)
{
	int ret = 0;
	for (int i = 0; i < 2; i++) {
		if (saved[i] < 0)
			continue;
		if (setns(saved[i], 0) < 0 && ret == 0)
			ret = fy_error_sys(err, "return to the runtime's %s namespace",
					   spec_namespace_type_name(for_children[i].type));
		close(saved[i]);
		saved[i] = -1;
	}
	return ret;
}

int ns_join_in_child(const struct ns_plan *plan, struct fy_error **err)
{
	for (size_t i = 0; i < ARRAY_SIZE(join_order); i++) {
		enum spec_namespace_type type = join_order[i];
		if (plan->join_fd[type] < 0)
			continue;
		if (setns(plan->join_fd[type], spec_namespace_clone_flag(type)) < 0)
			return fy_error_sys(err, "join %s namespace", spec_namespace_type_name(type));
	}
	return 0;
}

static int format_offset(char *buf, size_t size, const char *clock, const struct spec_time_offset *o)
{
	if (o == NULL)
		return 0;
	return snprintf(buf, size, "%s %lld %u\n", clock, (long long)(o->has_secs ? o->secs : 0),
			o->has_nanosecs ? o->nanosecs : 0);
}

int ns_enter_new_time(const struct spec_time_offsets *offsets, struct fy_error **err)
{
	if (unshare(CLONE_NEWTIME) < 0)
		return fy_error_sys(err, "create time namespace");
	if (offsets) {
		char buf[256];
		int n = format_offset(buf, sizeof buf, "monotonic", offsets->monotonic);
		n += format_offset(buf + n, sizeof buf - (size_t)n, "boottime", offsets->boottime);
		if (n > 0 && fy_write_file("/proc/self/timens_offsets", buf, (size_t)n, 0, err) < 0)
			return fy_error_wrap(err, "set .linux.timeOffsets");
	}
	_cleanup_close_ int fd = open("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWTIME) < 0)
		return fy_error_sys(err, "enter the new time namespace");
	return 0;
}
