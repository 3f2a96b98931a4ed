#include "config.h"

#include "lib/sync.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/error.h"
#include "lib/util.h"

/* On the wire: a fixed header followed by the text, in one SEQPACKET datagram. */
struct sync_wire {
	uint32_t type;
	int32_t errnum;
	char text[SYNC_MAX_PAYLOAD];
};

static const char *const type_names[] = {
	[SYNC_GO] = "GO", [SYNC_HOOKS] = "HOOKS", [SYNC_HOOKS_DONE] = "HOOKS_DONE",
	[SYNC_READY] = "READY", [SYNC_ERROR] = "ERROR",
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

int sync_expect_text(int fd, enum sync_type want, char *text, size_t size, struct fy_error **err)
{
	struct sync_wire w;
	ssize_t n;

	do {
		n = recv(fd, &w, sizeof w - 1, 0);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return fy_error_sys(err, "read from container init (waiting for %s)", type_names[want]);
	if (n == 0)
		return fy_error_set(err, 0, "container init exited before %s", type_names[want]);
	if ((size_t)n < offsetof(struct sync_wire, text))
		return fy_error_set(err, 0, "short message from container init");
	((char *)&w)[n] = '\0';
	if (w.type == SYNC_ERROR) {
		/* The child's message already ends with strerror(): keep its errno without
		 * appending it a second time. */
		fy_error_set(err, 0, "%s", w.text);
		(*err)->errnum = w.errnum;
		return -1;
	}
	if (w.type != (uint32_t)want)
		return fy_error_set(err, 0, "protocol error: expected %s from container init, got message %u",
				    type_names[want], w.type);
	if (text && size > 0)
		snprintf(text, size, "%s", w.text);
	return 0;
}

int sync_expect(int fd, enum sync_type want, struct fy_error **err)
{
	return sync_expect_text(fd, want, NULL, 0, err);
}
