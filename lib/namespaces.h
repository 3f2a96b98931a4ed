/* Namespaces of the container: which ones clone3 creates, which are joined by path
 * (checked to be a namespace of the right type), and the order of joining. */
#ifndef FOUNDRY_NAMESPACES_H
#define FOUNDRY_NAMESPACES_H

#include <stdbool.h>

#include "spec/config.h"

struct fy_error;

struct ns_plan {
	unsigned long clone_flags;  /* CLONE_NEW* to create with clone3 */
	bool unshare_cgroup;        /* created by init after it is in its cgroup (see init.c) */
	bool unshare_time;          /* created by init, which sets its offsets before entering it */
	int join_fd[SPEC_NS_COUNT]; /* opened, type-checked fds of namespaces to join; -1 */
	bool has[SPEC_NS_COUNT];    /* the container has its own (new or joined) namespace */
};

/* The name of a namespace type under /proc/<pid>/ns/ ("net", "mnt", ...). */
const char *ns_proc_name(enum spec_namespace_type type);

/* Opens and checks every namespace path; errors name the namespace and path. */
int ns_plan_build(const struct spec_linux *linux_, struct ns_plan *plan, struct fy_error **err);
void ns_plan_close(struct ns_plan *plan);

/* In the parent, around clone: pid and time namespaces apply to children only, so the
 * parent joins them before clone3 and goes back after (saved fds in *saved). */
int ns_enter_for_children(const struct ns_plan *plan, int saved[2], struct fy_error **err);
int ns_restore_for_children(int saved[2], struct fy_error **err);

/* In the child: creates the time namespace with linux.timeOffsets and enters it.  The
 * offsets can only be written before any process is in the namespace, so clone3 cannot
 * create it: unshare makes it for our children, we write the offsets, then join it. */
int ns_enter_new_time(const struct spec_time_offsets *offsets, struct fy_error **err);

/* In the child: joins the namespaces given by path (user first), except pid and time. */
int ns_join_in_child(const struct ns_plan *plan, struct fy_error **err);

#endif
