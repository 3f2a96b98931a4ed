/* The parent/child protocol of `create`: framed messages over a SOCK_SEQPACKET socketpair
 * (one send is one message; a closed peer reads as end of file).
 *
 *   parent (foundry create)                         child (lib/init.c, in the new namespaces)
 *   -----------------------                         ------------------------------------------
 *   clone3 ------------------------------------->   waits for GO
 *   write uid/gid maps, join cgroups
 *   GO  ---------------------------------------->   hostname, mounts, devices (still on the host root)
 *                                        <-------   HOOKS       "run prestart and createRuntime now"
 *   prestart + createRuntime hooks (state "creating")
 *   HOOKS_DONE -------------------------------->    createContainer hooks, pivot_root, masked and
 *                                                   readonly paths, sysctl, rlimits, checks args[0]
 *                                        <-------   TERMINAL    (process.terminal only) the pty
 *   keeps the master for --console-socket           master in SCM_RIGHTS; the peer is now the
 *   or the foreground proxy                         init's stdio and /dev/console
 *                                        <-------   READY       "waiting on exec.fifo"
 *   state.json "created", pid file, exit            blocks opening exec.fifo for writing
 *
 *   exec's child (lib/exec.c) speaks the same protocol, shorter: GO, then TERMINAL (with
 *   --tty), SECCOMP (with a notify listener), then end of file when its execve succeeded.
 *
 *   At any step the child may send ERROR {errno, message} instead and exit; the parent adds
 *   it to its own error, so `--log` has every message.  Reading end of file where a
 *   message was due means the child died (and is reported as such).
 */
#ifndef FOUNDRY_SYNC_H
#define FOUNDRY_SYNC_H

#include <stddef.h>

struct fy_error;

enum sync_type {
	SYNC_GO = 1,
	SYNC_HOOKS,
	SYNC_HOOKS_DONE,
	SYNC_READY,
	SYNC_ERROR,
	SYNC_SECCOMP,      /* child -> parent, with the SCMP_ACT_NOTIFY fd in SCM_RIGHTS */
	SYNC_SECCOMP_DONE, /* parent -> child: the fd reached listenerPath */
	SYNC_TERMINAL,     /* child -> parent, with the pty master in SCM_RIGHTS */
	SYNC_EOF,          /* not a message: what sync_expect_eof waits for */
};

#define SYNC_MAX_PAYLOAD 4096

struct sync_msg {
	enum sync_type type;
	int errnum;
	char text[SYNC_MAX_PAYLOAD];
};

/* fds[0] for the parent, fds[1] for the child; both close-on-exec. */
int sync_socketpair(int fds[2], struct fy_error **err);
int sync_send(int fd, enum sync_type type, int errnum, const char *text);
/* Sends an error (message and errno) to the parent. */
int sync_send_error(int fd, const struct fy_error *error);
/* Receives one message of type `want`.  An ERROR message becomes *err (with the child's
 * errno and message); end of file or another type is a protocol error. */
int sync_expect(int fd, enum sync_type want, struct fy_error **err);
/* The same, copying the message's text (NUL-terminated) into text. */
int sync_expect_text(int fd, enum sync_type want, char *text, size_t size, struct fy_error **err);

/* End of file (the child's end is close-on-exec: its execve succeeded) or the ERROR it
 * sent instead. */
int sync_expect_eof(int fd, struct fy_error **err);

/* SYNC_SECCOMP, SYNC_TERMINAL: one message carrying an fd. */
int sync_send_fd(int fd, enum sync_type type, int passfd);
int sync_expect_fd(int fd, enum sync_type want, int *passfd, struct fy_error **err);

#endif
