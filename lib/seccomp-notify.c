#include "config.h"

#include "lib/seccomp-notify.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>

#include "lib/error.h"
#include "lib/sys.h"
#include "lib/util.h"

static void gen_string(yajl_gen g, const char *s)
{
	yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

char *seccomp_state_json(const char *oci_version, pid_t pid, const char *metadata, const char *state_json, size_t *len)
{
	const unsigned char *buf;
	size_t buflen;
	char *out;
	yajl_gen g;

	if (state_json == NULL || state_json[strspn(state_json, " \t\r\n")] != '{')
		return NULL;
	g = yajl_gen_alloc(NULL);
	if (g == NULL)
		abort();
	yajl_gen_map_open(g);
	gen_string(g, "ociVersion");
	gen_string(g, oci_version);
	gen_string(g, "fds");
	yajl_gen_array_open(g);
	gen_string(g, "seccompFd");
	yajl_gen_array_close(g);
	gen_string(g, "pid");
	yajl_gen_integer(g, pid);
	if (metadata) {
		gen_string(g, "metadata");
		gen_string(g, metadata);
	}
	/* The state is already a JSON document: splice it in rather than re-encode it. */
	yajl_gen_get_buf(g, &buf, &buflen);
	out = xasprintf("%.*s,\"state\":%s}", (int)buflen, (const char *)buf, state_json);
	yajl_gen_free(g);
	if (len)
		*len = strlen(out);
	return out;
}

/* sun_path holds 108 bytes; a longer path is reached through its directory's fd. */
static int connect_unix(const char *path, struct fy_error **err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	_cleanup_close_ int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	_cleanup_close_ int dirfd = -1;
	int ret;

	if (sock < 0)
		return fy_error_sys(err, "create a unix socket");
	if (strlen(path) < sizeof addr.sun_path) {
		strcpy(addr.sun_path, path);
	} else {
		_cleanup_free_ char *dir = xstrdup(path);
		_cleanup_free_ char *base = xstrdup(path);

		dirfd = open(dirname(dir), O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dirfd < 0)
			return fy_error_sys(err, "open the directory of \"%s\"", path);
		if (snprintf(addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d/%s", dirfd, basename(base)) >=
		    (int)sizeof addr.sun_path)
			return fy_error_set(err, ENAMETOOLONG, "connect to \"%s\"", path);
	}
	if (connect(sock, (struct sockaddr *)&addr, sizeof addr) < 0)
		return fy_error_sys(err, "connect to \"%s\"", path);
	ret = sock;
	sock = -1;
	return ret;
}

static int send_with_fd(int sock, const char *data, size_t len, int fd, struct fy_error **err)
{
	ssize_t sent = fy_send_with_fd(sock, data, len, fd);

	if (sent < 0)
		return fy_error_sys(err, "send the seccomp fd");
	/* The spec allows more sendmsg calls as long as the fds went with the first one. */
	while ((size_t)sent < len) {
		ssize_t w = send(sock, data + sent, len - (size_t)sent, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return fy_error_sys(err, "send the seccomp state");
		sent += w;
	}
	return 0;
}

int seccomp_listener_send(const char *listener_path, int notify_fd, pid_t pid, const char *metadata,
			  const char *state_json, struct fy_error **err)
{
	_cleanup_free_ char *doc = NULL;
	_cleanup_close_ int sock = -1;
	size_t len;

	doc = seccomp_state_json(FY_SPEC_VERSION, pid, metadata, state_json, &len);
	if (doc == NULL)
		return fy_error_set(err, EINVAL,
				    "send the seccomp state to \"%s\": the container state is not a JSON object",
				    listener_path);
	sock = connect_unix(listener_path, err);
	if (sock < 0 || send_with_fd(sock, doc, len, notify_fd, err) < 0)
		return fy_error_wrap(err, "seccomp listener \"%s\"", listener_path);
	return 0;
}
