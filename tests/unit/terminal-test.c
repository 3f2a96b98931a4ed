/* lib/terminal: runc's --console-socket rules, the pty set-up (in a forked child, on the
 * host's devpts), the SCM_RIGHTS hand-over and the foreground proxy against a real pty. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/spawn.h"
#include "lib/terminal.h"
#include "lib/util.h"
#include "tests/unit/tap.h"

static void test_validate(void)
{
	struct fy_error *err = NULL;

	tap_is_int(terminal_validate(false, true, NULL, &err), 0, "no terminal, no socket: fine");
	tap_is_int(terminal_validate(true, true, "/s", &err), 0, "terminal, detached, socket: fine");
	tap_is_int(terminal_validate(true, false, NULL, &err), 0, "terminal in the foreground: fine");
	tap_is_int(terminal_validate(true, true, NULL, &err), -1, "terminal, detached, no socket: error");
	tap_is_str(err ? err->msg : NULL,
		   "--console-socket is required when process.terminal is true and the container is detached",
		   "the message says what is missing");
	fy_error_free(&err);
	tap_is_int(terminal_validate(false, true, "/s", &err), -1, "a socket without a terminal: error");
	tap_ok(err && strstr(err->msg, "process.terminal"), "the message names process.terminal");
	fy_error_free(&err);
	tap_is_int(terminal_validate(true, false, "/s", &err), -1, "a socket in the foreground: error");
	tap_ok(err && strstr(err->msg, "detached"), "the message names detached");
	fy_error_free(&err);
}

/* In a child: set up the pty as init would (without /dev/console) and report what the
 * process then sees, one line. */
static void setup_child(int report)
{
	struct spec_console_size size = { .height = 33, .width = 111 };
	struct fy_error *err = NULL;
	int master = -1;
	char line[512];

	if (terminal_setup_in_container(&size, 0, false, &master, &err) < 0) {
		snprintf(line, sizeof line, "error %s", err->msg);
	} else {
		struct winsize ws = { 0 };
		unsigned int n = 0;
		ioctl(1, TIOCGWINSZ, &ws);
		const char *name = ttyname(0);
		snprintf(line, sizeof line, "tty=%d%d%d size=%ux%u leader=%d fg=%d peer=%s master=%d", isatty(0),
			 isatty(1), isatty(2), ws.ws_row, ws.ws_col, getsid(0) == getpid(), tcgetpgrp(0) == getpid(),
			 name ? name : "?", ioctl(master, TIOCGPTN, &n) == 0);
		char want[64];
		snprintf(want, sizeof want, "/dev/pts/%u", n);
		if (name == NULL || strcmp(name, want) != 0)
			strcat(line, " (peer is not the master's)");
	}
	(void)fy_write_all(report, line, strlen(line));
	_exit(0);
}

static void test_setup(void)
{
	int fd = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 && (errno == ENOENT || errno == ENXIO)) {
		tap_ok(1, "# SKIP no /dev/ptmx on this machine");
		return;
	}
	close(fd);
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		abort();
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		setup_child(p[1]);
	}
	close(p[1]);
	char buf[512] = "";
	ssize_t n = read(p[0], buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(p[0]);
	waitpid(pid, NULL, 0);
	tap_ok(strncmp(buf, "tty=111 size=33x111 leader=1 fg=1 peer=/dev/pts/", 48) == 0 && strstr(buf, "master=1") &&
		   !strstr(buf, "(peer"),
	       "setup: stdio is the pty, sized, the controlling terminal of a new session");
	tap_diag("%s", buf);
}

static int open_pty(char *name, size_t size)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0 || ptsname_r(m, name, size) != 0)
		abort();
	return m;
}

static void test_console_socket(void)
{
	char dir[] = "/tmp/terminal-test.XXXXXX", path[128], name[64];
	struct fy_error *err = NULL;

	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(path, sizeof path, "%s/console.sock", dir);
	tap_is_int(terminal_send_to_console_socket(path, 0, &err), -1, "console socket: no listener is an error");
	tap_ok(err && strstr(err->msg, path), "console socket: the message names the path");
	fy_error_free(&err);

	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	strcpy(addr.sun_path, path);
	int l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(l, 1) < 0)
		abort();
	int master = open_pty(name, sizeof name);
	tap_is_int(terminal_send_to_console_socket(path, master, &err), 0, "console socket: sent");
	int conn = accept(l, NULL, NULL);
	char payload[64] = "";
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = payload, .iov_len = sizeof payload - 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf
	};
	ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
	payload[n > 0 ? n : 0] = '\0';
	tap_is_str(payload, name, "console socket: the payload is the pty's name");
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	int got = -1;
	unsigned a = 1, b = 2;
	if (c && c->cmsg_type == SCM_RIGHTS)
		memcpy(&got, CMSG_DATA(c), sizeof got);
	tap_ok(got >= 0 && ioctl(got, TIOCGPTN, &a) == 0 && ioctl(master, TIOCGPTN, &b) == 0 && a == b,
	       "console socket: the fd received is the same pty master");
	close(got);
	close(conn);
	close(l);
	close(master);
	unlink(path);
	rmdir(dir);
}

/* The proxy's child: a process on the pty's peer, as the container's would be. */
static void proxy_child(const char *name, int master, const char *mode)
{
	close(master);
	setsid();
	int s = open(name, O_RDWR);
	if (s < 0)
		_exit(99);
	dup2(s, 0);
	dup2(s, 1);
	dup2(s, 2);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (strcmp(mode, "exit") == 0) {
		printf("hello\n");
		fflush(stdout);
		_exit(7);
	}
	if (strcmp(mode, "read") == 0) {
		char line[64] = "";
		if (fgets(line, sizeof line, stdin))
			printf("got %s", line);
		fflush(stdout);
		_exit(0);
	}
	/* "signal": the runtime gets SIGUSR1 and must pass it on (default action: die). */
	kill(getppid(), SIGUSR1);
	for (;;)
		pause();
}

/* Runs the proxy with stdin from `input` and stdout captured; returns its status. */
static int run_proxy(const char *mode, const char *input, char *out, size_t size)
{
	char name[64];
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	spawn_forwarded_signals(&set);
	sigprocmask(SIG_BLOCK, &set, &old);

	int master = open_pty(name, sizeof name);
	int in[2], o[2];
	if (pipe(in) < 0 || pipe(o) < 0)
		abort();
	(void)fy_write_all(in[1], input, strlen(input));
	close(in[1]);
	fflush(stdout);
	int saved_in = dup(0), saved_out = dup(1);
	pid_t pid = fork();
	if (pid == 0)
		proxy_child(name, master, mode);
	dup2(in[0], 0);
	dup2(o[1], 1);
	close(in[0]);
	close(o[1]);
	int status = terminal_proxy_foreground(master, pid, &set);
	dup2(saved_in, 0);
	dup2(saved_out, 1);
	close(saved_in);
	close(saved_out);
	close(master);
	ssize_t n, got = 0;
	while ((n = read(o[0], out + got, size - 1 - (size_t)got)) > 0)
		got += n;
	out[got] = '\0';
	close(o[0]);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return status;
}

static void test_proxy(void)
{
	char out[4096];

	tap_is_int(run_proxy("exit", "", out, sizeof out), 7, "proxy: the process's exit status");
	tap_is_str(out, "hello\r\n", "proxy: the pty's output reaches stdout, drained after the exit");
	tap_is_int(run_proxy("read", "ping\n", out, sizeof out), 0, "proxy: reading stdin");
	tap_ok(strstr(out, "got ping\r\n") != NULL, "proxy: stdin reaches the process through the pty");
	tap_is_int(run_proxy("signal", "", out, sizeof out), 128 + SIGUSR1,
		   "proxy: a signal to the runtime is forwarded; 128+signal when it kills");
}

int main(void)
{
	test_validate();
	test_setup();
	test_console_socket();
	test_proxy();
	return tap_done();
}
