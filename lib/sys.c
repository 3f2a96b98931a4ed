#include "config.h"

#include "lib/sys.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/util.h"

pid_t fy_clone3(struct fy_clone_args *args)
{
	return (pid_t)syscall(SYS_clone3, args, sizeof *args);
}

int fy_pivot_root(const char *new_root, const char *put_old)
{
	return (int)syscall(SYS_pivot_root, new_root, put_old);
}

int fy_pidfd_open(pid_t pid, unsigned int flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

int fy_pidfd_send_signal(int pidfd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

/* Probe cache: set when openat2 answered ENOSYS once (or a test forces the fallback). */
static bool openat2_missing;

void fy_sys_force_fallback(bool force)
{
	openat2_missing = force;
}

/* The fallback for kernels without openat2: walks the path one component at a time
 * with O_NOFOLLOW, and restarts symlink targets from rootfd, so ".." and absolute
 * links stay inside the root.  Bounded to 40 links like the kernel's MAXSYMLINKS. */
static int open_in_root_walk(int rootfd, const char *path, int flags, mode_t mode)
{
	char pending[PATH_MAX];
	int links = 0;
	int cur = dup(rootfd);

	if (cur < 0)
		return -1;
	if (snprintf(pending, sizeof pending, "%s", path) >= (int)sizeof pending) {
		close(cur);
		errno = ENAMETOOLONG;
		return -1;
	}
	char *rest = pending;
	for (;;) {
		while (*rest == '/')
			rest++;
		if (*rest == '\0') {
			/* The path named the root itself (or a directory we walked to). */
			int fd = openat(cur, ".", (flags & ~(O_CREAT | O_EXCL | O_NOFOLLOW)) | O_CLOEXEC);
			close(cur);
			return fd;
		}
		char *slash = strchr(rest, '/');
		bool last = slash == NULL;
		if (slash)
			*slash = '\0';
		const char *name = rest;
		rest = last ? rest + strlen(rest) : slash + 1;

		if (strcmp(name, ".") == 0)
			continue;
		if (strcmp(name, "..") == 0) {
			/* Never above the root: compare with the root's inode. */
			struct stat a, b;
			if (fstat(cur, &a) == 0 && fstat(rootfd, &b) == 0 && a.st_dev == b.st_dev &&
			    a.st_ino == b.st_ino)
				continue;
			int up = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
			close(cur);
			if (up < 0)
				return -1;
			cur = up;
			continue;
		}
		char target[PATH_MAX];
		ssize_t n = readlinkat(cur, name, target, sizeof target - 1);
		if (n >= 0) {
			if (++links > 40) {
				close(cur);
				errno = ELOOP;
				return -1;
			}
			target[n] = '\0';
			char joined[PATH_MAX];
			if (snprintf(joined, sizeof joined, "%s/%s", target, rest) >= (int)sizeof joined) {
				close(cur);
				errno = ENAMETOOLONG;
				return -1;
			}
			if (target[0] == '/') {
				close(cur);
				cur = dup(rootfd);
				if (cur < 0)
					return -1;
			}
			memcpy(pending, joined, strlen(joined) + 1);
			rest = pending;
			continue;
		}
		int fd;
		if (last)
			fd = openat(cur, name, flags | O_NOFOLLOW | O_CLOEXEC, mode);
		else
			fd = openat(cur, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int saved = errno;
		close(cur);
		errno = saved;
		if (fd < 0 || last)
			return fd;
		cur = fd;
	}
}

int fy_open_in_root(int rootfd, const char *path, int flags, mode_t mode)
{
	if (!openat2_missing) {
		struct open_how how = {
			.flags = (uint64_t)(flags | O_CLOEXEC),
			.mode = (flags & O_CREAT) ? mode : 0,
			.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
		};
		int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
		if (fd >= 0 || errno != ENOSYS)
			return fd;
		openat2_missing = true;
	}
	return open_in_root_walk(rootfd, path, flags, mode);
}

int fy_process_stat(pid_t pid, char *state, unsigned long long *start_time)
{
	char path[64], buf[1024];
	_cleanup_close_ int fd = -1;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* The command name may hold spaces and parentheses: fields start after the last ')'. */
	char *p = strrchr(buf, ')');
	if (p == NULL || p[1] != ' ')
		return -1;
	p += 2;
	if (state)
		*state = *p;
	/* p is at field 3 (state); the start time is field 22. */
	for (int field = 3; field < 22 && p; field++)
		p = strchr(p, ' ') ? strchr(p, ' ') + 1 : NULL;
	if (p == NULL)
		return -1;
	if (start_time)
		*start_time = strtoull(p, NULL, 10);
	return 0;
}

bool fy_process_alive(pid_t pid, unsigned long long start_time)
{
	char state;
	unsigned long long started;

	if (pid <= 0 || fy_process_stat(pid, &state, &started) < 0)
		return false;
	/* A zombie has exited: the container is stopped even before it is reaped. */
	return started == start_time && state != 'Z' && state != 'X';
}

ssize_t fy_send_with_fd(int sock, const void *data, size_t len, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = (void *)data, .iov_len = len };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf
	};
	ssize_t n;

	memset(&control, 0, sizeof control);
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof fd);
	do {
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	return n;
}
