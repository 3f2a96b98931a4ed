#include "config.h"

#include "lib/sync.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/sys.h"
#include "lib/util.h"

/* On the wire: a fixed header followed by the text, in one SEQPACKET datagram. */
struct sync_wire {
	uint32_t type;
	int32_t errnum;
	char text[SYNC_MAX_PAYLOAD];
};

static const char *const type_names[] = {
	[SYNC_GO] = "GO",
	[SYNC_HOOKS] = "HOOKS",
	[SYNC_HOOKS_DONE] = "HOOKS_DONE",
	[SYNC_READY] = "READY",
	[SYNC_ERROR] = "ERROR",
	[SYNC_SECCOMP] = "SECCOMP",
	[SYNC_SECCOMP_DONE] = "SECCOMP_DONE",
	[SYNC_TERMINAL] = "TERMINAL",
	[SYNC_EOF] = "end of file",
};

int sync_socketpair(int fds[2], struct fy_error **err)
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
		return fy_error_sys(err, "create sync socket");
	return 0;
}

int sync_send(int fd, enum sync_type type, int errnum, const char *text)
{
	struct sync_wire w = { .type = type, .errnum = errnum };
	size_t len = 0;

	if (text) {
		len = strnlen(text, sizeof w.text - 1);
		memcpy(w.text, text, len);
	}
	size_t size = offsetof(struct sync_wire, text) + len;
	ssize_t n;
	do {
		n = send(fd, &w, size, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	return n == (ssize_t)size ? 0 : -1;
}

int sync_send_error(int fd, const struct fy_error *error)
{
	return sync_send(fd, SYNC_ERROR, error ? error->errnum : 0, error ? error->msg : "unknown error");
}

/* Receives one message of type want; its text goes to text (when given) and an fd it
 * carries in SCM_RIGHTS to *passfd (when given, which makes the fd required). */
static int sync_receive(int fd, enum sync_type want, char *text, size_t size, int *passfd, struct fy_error **err)
{
	struct sync_wire w;
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = &w, .iov_len = sizeof w - 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf
	};
	ssize_t n;

	memset(&control, 0, sizeof control);
	do {
		n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return fy_error_sys(err, "read from container init (waiting for %s)", type_names[want]);
	if (n == 0 && want == SYNC_EOF)
		return 0;
	if (n == 0)
		return fy_error_set(err, 0, "container init exited before %s", type_names[want]);
	if ((size_t)n < offsetof(struct sync_wire, text))
		return fy_error_set(err, 0, "short message from container init");
	((char *)&w)[n] = '\0';
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	int received = -1;
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		memcpy(&received, CMSG_DATA(c), sizeof received);
	if (passfd)
		*passfd = received;
	else if (received >= 0)
		close(received);
	if (w.type == SYNC_ERROR) {
		/* The child's message already ends with strerror(): keep its errno without
		 * appending it a second time. */
		fy_error_set(err, 0, "%s", w.text);
		(*err)->errnum = w.errnum;
		return -1;
	}
	if (w.type != (uint32_t)want || (passfd && received < 0))
		return fy_error_set(err, 0, "protocol error: expected %s from container init, got message %u",
				    type_names[want], w.type);
	if (text && size > 0)
		snprintf(text, size, "%s", w.text);
	return 0;
}

int sync_expect_text(int fd, enum sync_type want, char *text, size_t size, struct fy_error **err)
{
	return sync_receive(fd, want, text, size, NULL, err);
}

int sync_expect(int fd, enum sync_type want, struct fy_error **err)
{
	return sync_receive(fd, want, NULL, 0, NULL, err);
}

int sync_expect_eof(int fd, struct fy_error **err)
{
	return sync_receive(fd, SYNC_EOF, NULL, 0, NULL, err);
}

int sync_expect_fd(int fd, enum sync_type want, int *passfd, struct fy_error **err)
{
	return sync_receive(fd, want, NULL, 0, passfd, err);
}

int sync_send_fd(int fd, enum sync_type type, int passfd)
{
	struct sync_wire w = { .type = type };
	size_t size = offsetof(struct sync_wire, text);

	return fy_send_with_fd(fd, &w, size, passfd) == (ssize_t)size ? 0 : -1;
}
