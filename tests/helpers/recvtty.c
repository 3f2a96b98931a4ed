/* recvtty: a --console-socket listener for the tests, like runc's tests/cmd/recvtty.
 *
 *   recvtty [-t SECONDS] [-i TEXT] [-n] [-N FILE] SOCKET
 *
 * Listens on the unix socket path SOCKET, accepts one connection, receives the pty master
 * the runtime sends (SCM_RIGHTS, the payload is the pty's name), removes SOCKET, then:
 *   -N FILE  writes the payload (the pty's name) to FILE;
 *   -i TEXT  writes TEXT into the pty (the process reads it as typed input);
 * and copies what the pty gives to stdout (-n: discards it) until no process holds the pty's
 * peer any more.  Exits 0 then; 1 on an error; 124 when SECONDS (default 20) pass first, so
 * a test never hangs on it.  It says "ready" on stderr once it listens. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static const char *socket_path;

static void on_alarm(int sig)
{
	(void)sig;
	static const char msg[] = "recvtty: timed out\n";
	if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
		/* nothing more to say */
	}
	if (socket_path)
		unlink(socket_path);
	_exit(124);
}

static int die(const char *what)
{
	fprintf(stderr, "recvtty: %s: %s\n", what, strerror(errno));
	if (socket_path)
		unlink(socket_path);
	return 1;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* One message: the payload into name, the fd it carries into *fd. */
static int receive_pty(int conn, char *name, size_t size, int *fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = name, .iov_len = size - 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf
	};
	memset(&control, 0, sizeof control);
	ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
	if (n < 0)
		return -1;
	name[n] = '\0';
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (c == NULL || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
		errno = EBADMSG;
		return -1;
	}
	memcpy(fd, CMSG_DATA(c), sizeof *fd);
	return 0;
}

static int listen_on(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof addr.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(addr.sun_path, path, strlen(path));
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(s, 1) < 0)
		return -1;
	return s;
}

int main(int argc, char **argv)
{
	const char *input = NULL, *name_file = NULL;
	unsigned timeout = 20;
	bool discard = false;
	int c;

	while ((c = getopt(argc, argv, "t:i:nN:")) != -1) {
		switch (c) {
		case 't': timeout = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'i': input = optarg; break;
		case 'n': discard = true; break;
		case 'N': name_file = optarg; break;
		default: fprintf(stderr, "usage: recvtty [-t SECONDS] [-i TEXT] [-n] [-N FILE] SOCKET\n"); return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: recvtty [-t SECONDS] [-i TEXT] [-n] [-N FILE] SOCKET\n");
		return 2;
	}
	signal(SIGALRM, on_alarm);
	signal(SIGPIPE, SIG_IGN);
	alarm(timeout);

	int sock = listen_on(argv[optind]);
	if (sock < 0)
		return die("listen");
	socket_path = argv[optind];
	fprintf(stderr, "ready\n");
	int conn = accept4(sock, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0)
		return die("accept");
	unlink(socket_path);
	socket_path = NULL;

	char name[256];
	int master;
	if (receive_pty(conn, name, sizeof name, &master) < 0)
		return die("receive the pty");
	if (name_file) {
		FILE *f = fopen(name_file, "w");
		if (f == NULL || fprintf(f, "%s\n", name) < 0 || fclose(f) != 0)
			return die("write the pty's name");
	}
	if (input && write_all(master, input, strlen(input)) < 0)
		return die("write into the pty");
	for (;;) {
		char buf[4096];
		ssize_t n = read(master, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* EIO: no process holds the pty's peer any more */
		if (!discard && write_all(STDOUT_FILENO, buf, (size_t)n) < 0)
			return die("write stdout");
	}
	return 0;
}
