/* Thin wrappers for the syscalls glibc 2.36 lacks, and probes that cache what the
 * kernel refuses so that a fallback is chosen once. */
#ifndef FOUNDRY_SYS_H
#define FOUNDRY_SYS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct fy_clone_args {
	uint64_t flags;
	uint64_t pidfd;
	uint64_t child_tid;
	uint64_t parent_tid;
	uint64_t exit_signal;
	uint64_t stack;
	uint64_t stack_size;
	uint64_t tls;
	uint64_t set_tid;
	uint64_t set_tid_size;
	uint64_t cgroup;
};

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* clone3 returning like fork (0 in the child).  -1/ENOSYS when the kernel lacks it. */
pid_t fy_clone3(struct fy_clone_args *args);
int fy_pivot_root(const char *new_root, const char *put_old);
int fy_pidfd_open(pid_t pid, unsigned int flags);
int fy_pidfd_send_signal(int pidfd, int sig);

/* openat2 with RESOLVE_IN_ROOT: opens path as if dirfd were "/".  Falls back to a
 * component-by-component walk (symlinks resolved against dirfd, never above it)
 * when the kernel has no openat2; fy_sys_force_fallback() makes tests take that path. */
int fy_open_in_root(int rootfd, const char *path, int flags, mode_t mode);
void fy_sys_force_fallback(bool force);

/* One sendmsg of data with fd attached (SCM_RIGHTS), retried on EINTR, never raising
 * SIGPIPE.  Returns the bytes sent or -1 with errno. */
ssize_t fy_send_with_fd(int sock, const void *data, size_t len, int fd);

/* Reads the state letter and start time (fields 3 and 22 of /proc/<pid>/stat).  Pid plus
 * start time names one process even after the pid is reused. */
int fy_process_stat(pid_t pid, char *state, unsigned long long *start_time);
/* True when pid is the process that started at start_time and has not exited. */
bool fy_process_alive(pid_t pid, unsigned long long start_time);

#endif
