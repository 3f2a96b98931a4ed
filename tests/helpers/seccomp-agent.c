/* A minimal seccomp agent for the integration tests (config-linux.md "listenerPath").
 *
 *   seccomp-agent SOCKET OUT ERRNO
 *
 * Binds SOCKET, then goes to the background (the command returns once the socket accepts
 * connections, so a test can start the container right after) and prints the agent's pid.
 * It accepts one connection, writes the received Seccomp State JSON to OUT, and answers
 * every notification on the received fd with -ERRNO, appending "syscall NR" lines to
 * OUT.calls.  It exits when no process uses the filter any more, or after 60 seconds so a
 * broken runtime cannot leave it behind.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int die(const char *what)
{
	fprintf(stderr, "seccomp-agent: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* True once buf holds one whole JSON object.  Not every runtime closes the connection
 * right after sending (runc 1.1 keeps it open until the container starts), so the end of
 * the document is found by matching braces outside strings rather than by EOF. */
static int json_complete(const char *buf, size_t len)
{
	int depth = 0, in_string = 0, escaped = 0, started = 0;

	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		if (in_string) {
			if (escaped)
				escaped = 0;
			else if (c == '\\')
				escaped = 1;
			else if (c == '"')
				in_string = 0;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '{') {
			depth++;
			started = 1;
		} else if (c == '}' && --depth == 0 && started) {
			return 1;
		}
	}
	return 0;
}

static int receive_state(int listen_fd, const char *out)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	char json[65536];
	struct iovec iov = { .iov_base = json, .iov_len = sizeof json };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf
	};
	int conn = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	int fd = -1;
	size_t got;
	ssize_t n;

	if (conn < 0)
		die("accept");
	n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
	if (n < 0)
		die("recvmsg");
	got = (size_t)n;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(c), sizeof fd);
	/* The rest of the document may come in further writes, without fds. */
	while (!json_complete(json, got) && got < sizeof json && (n = read(conn, json + got, sizeof json - got)) > 0)
		got += (size_t)n;
	close(conn);
	FILE *f = fopen(out, "w");
	if (f == NULL)
		die(out);
	fwrite(json, 1, got, f);
	fprintf(f, "\n");
	fclose(f);
	if (fd < 0) {
		errno = EBADMSG;
		die("no fd in SCM_RIGHTS");
	}
	return fd;
}

static void answer(int fd, int errnum, const char *out)
{
	char calls[4096];

	snprintf(calls, sizeof calls, "%s.calls", out);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct seccomp_notif req;
		struct seccomp_notif_resp resp;

		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (pfd.revents & POLLHUP)
			return; /* every process of the filter is gone */
		memset(&req, 0, sizeof req);
		if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
			if (errno == EINTR || errno == ENOENT)
				continue;
			die("SECCOMP_IOCTL_NOTIF_RECV");
		}
		FILE *f = fopen(calls, "a");
		if (f) {
			fprintf(f, "syscall %d\n", req.data.nr);
			fclose(f);
		}
		memset(&resp, 0, sizeof resp);
		resp.id = req.id;
		resp.error = -errnum;
		/* ENOENT: the process went away meanwhile; nothing to answer. */
		if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 && errno != ENOENT)
			die("SECCOMP_IOCTL_NOTIF_SEND");
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int lfd, errnum;

	if (argc != 4 || strlen(argv[1]) >= sizeof addr.sun_path || (errnum = atoi(argv[3])) <= 0) {
		fprintf(stderr, "usage: seccomp-agent SOCKET OUT ERRNO\n");
		return 2;
	}
	strcpy(addr.sun_path, argv[1]);
	unlink(argv[1]);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(lfd, 1) < 0)
		die(argv[1]);
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid > 0) {
		printf("%d\n", (int)pid);
		return 0;
	}
	/* Detach from the caller's output so `$(seccomp-agent ...)` returns at once. */
	int null = open("/dev/null", O_RDWR);
	dup2(null, 0);
	dup2(null, 1);
	if (null > 2)
		close(null);
	setsid();
	alarm(60);
	int fd = receive_state(lfd, argv[2]);
	close(lfd);
	answer(fd, errnum, argv[2]);
	unlink(argv[1]);
	return 0;
}
