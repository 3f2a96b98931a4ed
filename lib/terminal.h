/* Terminals (config.md "process.terminal", "process.consoleSize"; runc's behaviour is the
 * contract): the pty is allocated inside the container, from the container's own devpts, so
 * the process sees /dev/pts/N of its own instance; its master travels to the runtime over
 * the sync socket (SYNC_TERMINAL) and from there either to a --console-socket listener
 * (create, run -d, exec -d: podman's conmon, containerd's shim) or to the foreground proxy
 * (run, exec without -d). */
#ifndef FOUNDRY_TERMINAL_H
#define FOUNDRY_TERMINAL_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "spec/config.h"

struct fy_error;

/* runc's rules, checked before anything is made: a detached process with a terminal needs
 * somewhere to send the pty, and a console socket is only meaningful for such a process
 * (detached: create, run -d, exec -d). */
int terminal_validate(bool terminal, bool detached, const char *console_socket, struct fy_error **err);

/* In the container's init (or an exec'd process) after pivot_root, with /dev/pts mounted:
 * opens /dev/ptmx of the container's devpts, unlocks it, opens the peer with TIOCGPTPEER,
 * applies size (TIOCSWINSZ; NULL or 0x0 leaves the kernel's default), gives the peer to
 * owner (the process's uid, like runc, so a non-root process may chmod or reopen its tty),
 * bind-mounts it onto /dev/console (bind_console: init only), makes it stdin, stdout, stderr
 * and the controlling terminal (setsid + TIOCSCTTY).  Returns 0 and the master (close-on-exec)
 * in *master. */
int terminal_setup_in_container(const struct spec_console_size *size, uid_t owner, bool bind_console, int *master,
				struct fy_error **err);

/* The size of the terminal on our stdin, stdout or stderr (the first that is one); false
 * when none is, or it says 0x0.  A foreground process's pty takes it before the process
 * runs, so that its first look at the size is already right. */
bool terminal_stdio_size(struct spec_console_size *size);
/* TIOCSWINSZ on either end of a pty. */
int terminal_set_size(int fd, const struct spec_console_size *size, struct fy_error **err);

/* Parent: hands the master to a --console-socket listener, like runc: connects to the unix
 * stream socket at path and sends one message whose payload is the pty's name, with the fd
 * in SCM_RIGHTS. */
int terminal_send_to_console_socket(const char *path, int master, struct fy_error **err);

/* Parent, foreground run/exec without --console-socket: puts our stdin in raw mode when it
 * is a tty (restored on every way out), sizes the pty from our terminal now and on SIGWINCH,
 * copies stdin -> master and master -> stdout, forwards the other signals in set to pid, and
 * returns pid's status (128+signal when killed) once pid has exited and the master is
 * drained.  The caller has blocked the signals in set: SIGCHLD, SIGWINCH and the forwarded
 * ones (spawn_forwarded_signals). */
int terminal_proxy_foreground(int master, pid_t pid, const sigset_t *set);

#endif
