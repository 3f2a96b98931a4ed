#include "config.h"

#include "lib/terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/sys.h"
#include "lib/rootfs.h"
#include "lib/spawn.h"
#include "lib/util.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

/* After the foreground process exits, output still held by another process that shares its
 * pty (an exec'd shell's background job) is drained until the pty is quiet this long. */
#define TERMINAL_DRAIN_QUIET_MS 250

int terminal_validate(bool terminal, bool detached, const char *console_socket, struct fy_error **err)
{
	if (terminal && detached && console_socket == NULL)
		return fy_error_set(err, 0,
				    "--console-socket is required when process.terminal is true and the container is "
				    "detached");
	if (console_socket && !terminal)
		return fy_error_set(err, 0, "--console-socket is only used when process.terminal is true");
	/* runc refuses it too: a foreground process's pty is proxied by the runtime itself. */
	if (console_socket && !detached)
		return fy_error_set(err, 0, "--console-socket is only used when the container is detached");
	return 0;
}

bool terminal_stdio_size(struct spec_console_size *size)
{
	struct winsize ws;

	for (int fd = 0; fd < 3; fd++) {
		if (ioctl(fd, TIOCGWINSZ, &ws) == 0) {
			size->height = ws.ws_row;
			size->width = ws.ws_col;
			return ws.ws_row && ws.ws_col;
		}
	}
	return false;
}

int terminal_set_size(int fd, const struct spec_console_size *size, struct fy_error **err)
{
	struct winsize ws = { .ws_row = (unsigned short)size->height, .ws_col = (unsigned short)size->width };

	if (ioctl(fd, TIOCSWINSZ, &ws) < 0)
		return fy_error_sys(err, "set the terminal's size to %ux%u", size->height, size->width);
	return 0;
}

/* "/dev/pts/N", the pty's name inside the container, from its master. */
static int pty_name(int master, char *name, size_t size)
{
	unsigned int n;

	if (ioctl(master, TIOCGPTN, &n) < 0)
		return -1;
	snprintf(name, size, "/dev/pts/%u", n);
	return 0;
}

/* The peer of master.  TIOCGPTPEER (Linux 4.13) opens it through the master's own devpts
 * instance, so no path lookup can hand us another pty; older kernels get the path. */
static int open_peer(int master, struct fy_error **err)
{
	int peer = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (peer >= 0)
		return peer;
	if (errno != EINVAL && errno != ENOTTY)
		return fy_error_sys(err, "open the pty's peer");
	char name[32];
	if (pty_name(master, name, sizeof name) < 0)
		return fy_error_sys(err, "read the pty's number");
	peer = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (peer < 0)
		return fy_error_sys(err, "open \"%s\"", name);
	return peer;
}

/* runtime.md: /dev/console is the pty when process.terminal is set.  The target is resolved
 * inside "/" (we are past pivot_root) and mounted through its fd, like every rootfs mount. */
static int console_bind_mount(int peer, struct fy_error **err)
{
	_cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return fy_error_sys(err, "open /");
	_cleanup_close_ int target = rootfs_create_in_root(root, "/dev/console", false, err);
	if (target < 0)
		return fy_error_wrap(err, "bind the pty onto /dev/console");
	char source[64], dest[64];
	snprintf(source, sizeof source, "/proc/self/fd/%d", peer);
	snprintf(dest, sizeof dest, "/proc/self/fd/%d", target);
	if (mount(source, dest, NULL, MS_BIND, NULL) < 0)
		return fy_error_sys(err, "bind the pty onto /dev/console");
	return 0;
}

/* The peer becomes fds 0, 1 and 2 and the controlling terminal of a new session. */
static int make_controlling_stdio(int peer, struct fy_error **err)
{
	for (int fd = 0; fd < 3; fd++)
		if (dup2(peer, fd) < 0)
			return fy_error_sys(err, "make the pty fd %d", fd);
	if (setsid() < 0)
		return fy_error_sys(err, "start a session for the pty");
	if (ioctl(0, TIOCSCTTY, 0) < 0)
		return fy_error_sys(err, "make the pty the controlling terminal");
	return 0;
}

int terminal_setup_in_container(const struct spec_console_size *size, uid_t owner, bool bind_console, int *master,
				struct fy_error **err)
{
	_cleanup_close_ int ptmx = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (ptmx < 0)
		return fy_error_sys(err, "open /dev/ptmx in the container (is devpts mounted on /dev/pts?)");
	int unlock = 0;
	if (ioctl(ptmx, TIOCSPTLCK, &unlock) < 0)
		return fy_error_sys(err, "unlock the pty");
	_cleanup_close_ int peer = open_peer(ptmx, err);
	if (peer < 0)
		return -1;
	if (size && size->height && size->width && terminal_set_size(peer, size, err) < 0)
		return -1;
	/* Like runc's fixStdioPermissions: the process owns its tty.  EINVAL (uid not mapped in
	 * the user namespace) and EPERM leave it root's, as runc does. */
	if (owner != 0 && fchown(peer, owner, (gid_t)-1) < 0 && errno != EINVAL && errno != EPERM)
		return fy_error_sys(err, "give the pty to uid %u", (unsigned)owner);
	if (bind_console && console_bind_mount(peer, err) < 0)
		return -1;
	if (make_controlling_stdio(peer, err) < 0)
		return -1;
	*master = ptmx;
	ptmx = -1;
	return 0;
}

int terminal_send_to_console_socket(const char *path, int master, struct fy_error **err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char name[32] = "/dev/ptmx";

	if (strlen(path) >= sizeof addr.sun_path)
		return fy_error_set(err, 0, "--console-socket \"%s\": path too long for a unix socket", path);
	memcpy(addr.sun_path, path, strlen(path));
	_cleanup_close_ int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return fy_error_sys(err, "--console-socket: create a socket");
	if (connect(sock, (struct sockaddr *)&addr, sizeof addr) < 0)
		return fy_error_sys(err, "--console-socket: connect to \"%s\"", path);
	pty_name(master, name, sizeof name);

	ssize_t n = fy_send_with_fd(sock, name, strlen(name), master);
	if (n < 0)
		return fy_error_sys(err, "--console-socket: send the pty to \"%s\"", path);
	return 0;
}

/* ---- the foreground proxy ------------------------------------------------------------ */

struct proxy {
	int master;
	int sigfd;
	pid_t pid;
	bool exited;
	int status;
	bool master_open; /* until the pty reports that no process holds its peer */
	bool stdin_open;
	bool stdout_ok; /* false once writing stdout failed (its reader went away) */
	char in[4096];  /* stdin bytes not yet taken by the pty */
	size_t in_len, in_off;
};

/* Our terminal's size onto the pty; no terminal (or 0x0) leaves the pty as it is. */
static void proxy_resize(int master)
{
	struct spec_console_size size;

	if (terminal_stdio_size(&size))
		terminal_set_size(master, &size, NULL);
}

static void proxy_reap(struct proxy *p)
{
	int status;
	pid_t done;

	/* Other children (hooks are waited for synchronously) are reaped too. */
	while ((done = waitpid(-1, &status, WNOHANG)) > 0) {
		if (done != p->pid)
			continue;
		p->exited = true;
		p->status = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
	}
}

static void proxy_signals(struct proxy *p)
{
	struct signalfd_siginfo si;

	while (read(p->sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo == SIGCHLD)
			proxy_reap(p);
		else if (si.ssi_signo == SIGWINCH)
			proxy_resize(p->master);
		else if (!p->exited)
			kill(p->pid, (int)si.ssi_signo);
	}
}

/* master_open goes false once the pty has nothing more to give. */
static void proxy_master_output(struct proxy *p)
{
	char buf[8192];
	ssize_t n = read(p->master, buf, sizeof buf);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		/* EIO: every fd of the peer is closed, and the kernel flushed what they wrote. */
		p->master_open = false;
		return;
	}
	if (p->stdout_ok && fy_write_all(STDOUT_FILENO, buf, (size_t)n) < 0)
		p->stdout_ok = false;
}

static void proxy_stdin(struct proxy *p)
{
	ssize_t n = read(STDIN_FILENO, p->in, sizeof p->in);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		p->stdin_open = false;
		return;
	}
	p->in_len = (size_t)n;
	p->in_off = 0;
}

static void proxy_master_input(struct proxy *p)
{
	ssize_t n = write(p->master, p->in + p->in_off, p->in_len - p->in_off);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0) {
		p->in_len = p->in_off = 0;
		p->stdin_open = false;
		return;
	}
	p->in_off += (size_t)n;
	if (p->in_off == p->in_len)
		p->in_len = p->in_off = 0;
}

static void proxy_loop(struct proxy *p)
{
	for (;;) {
		bool pending_in = p->in_len > 0;
		struct pollfd fds[3] = {
			{ .fd = p->sigfd, .events = POLLIN },
			{ .fd = p->master_open ? p->master : -1,
			  .events = (short)(POLLIN | (pending_in && !p->exited ? POLLOUT : 0)) },
			{ .fd = p->stdin_open && !pending_in && !p->exited ? STDIN_FILENO : -1, .events = POLLIN },
		};
		if (p->exited && !p->master_open)
			return;
		int r = poll(fds, 3, p->exited ? TERMINAL_DRAIN_QUIET_MS : -1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || (r == 0 && p->exited))
			return;
		if (fds[0].revents)
			proxy_signals(p);
		if (fds[1].revents & POLLOUT)
			proxy_master_input(p);
		if (fds[1].revents & (POLLIN | POLLHUP | POLLERR))
			proxy_master_output(p);
		if (fds[2].revents)
			proxy_stdin(p);
	}
}

int terminal_proxy_foreground(int master, pid_t pid, const sigset_t *set)
{
	struct proxy p = { .master = master, .pid = pid, .master_open = true, .stdin_open = true, .stdout_ok = true };
	struct termios saved;
	bool raw = false;

	_cleanup_close_ int sigfd = signalfd(-1, set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sigfd < 0) {
		fy_warn("foreground terminal: signalfd: %s; not copying the pty", strerror(errno));
		return spawn_wait_foreground(pid, set);
	}
	p.sigfd = sigfd;
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	/* Raw: keys (^C, ^Z, ^D) reach the container's pty, whose line discipline acts on them. */
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) {
		struct termios t = saved;
		cfmakeraw(&t);
		raw = tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0;
	}
	proxy_resize(master);
	proxy_loop(&p);
	if (raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	/* A poll failure leaves the process running: wait for it as without a terminal. */
	if (!p.exited)
		return spawn_wait_foreground(pid, set);
	return p.status;
}
