#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/seccomp-notify.h"
#include "lib/seccomp.h"
#include "lib/util.h"
#include "tests/helpers/log-capture.h"
#include "tests/unit/tap.h"

static void test_names(void)
{
	struct fy_error *err = NULL;
	uint32_t a = 0, arch = 0;
	enum scmp_compare op;
	unsigned int flag;

	tap_ok(seccomp_action_from_name("SCMP_ACT_KILL", false, 0, &a, &err) == 0 && a == SCMP_ACT_KILL,
	       "SCMP_ACT_KILL");
	tap_ok(seccomp_action_from_name("SCMP_ACT_KILL_PROCESS", false, 0, &a, &err) == 0 && a == SCMP_ACT_KILL_PROCESS,
	       "SCMP_ACT_KILL_PROCESS");
	tap_ok(seccomp_action_from_name("SCMP_ACT_KILL_THREAD", false, 0, &a, &err) == 0 && a == SCMP_ACT_KILL_THREAD,
	       "SCMP_ACT_KILL_THREAD");
	tap_ok(seccomp_action_from_name("SCMP_ACT_TRAP", false, 0, &a, &err) == 0 && a == SCMP_ACT_TRAP,
	       "SCMP_ACT_TRAP");
	tap_ok(seccomp_action_from_name("SCMP_ACT_ALLOW", false, 0, &a, &err) == 0 && a == SCMP_ACT_ALLOW,
	       "SCMP_ACT_ALLOW");
	tap_ok(seccomp_action_from_name("SCMP_ACT_LOG", false, 0, &a, &err) == 0 && a == SCMP_ACT_LOG, "SCMP_ACT_LOG");
	tap_ok(seccomp_action_from_name("SCMP_ACT_NOTIFY", false, 0, &a, &err) == 0 && a == SCMP_ACT_NOTIFY,
	       "SCMP_ACT_NOTIFY");
	tap_ok(seccomp_action_from_name("SCMP_ACT_ERRNO", false, 0, &a, &err) == 0 && a == SCMP_ACT_ERRNO(EPERM),
	       "SCMP_ACT_ERRNO defaults to EPERM");
	tap_ok(seccomp_action_from_name("SCMP_ACT_ERRNO", true, 42, &a, &err) == 0 && a == SCMP_ACT_ERRNO(42),
	       "SCMP_ACT_ERRNO with errnoRet 42");
	tap_ok(seccomp_action_from_name("SCMP_ACT_ERRNO", true, 0, &a, &err) == 0 && a == SCMP_ACT_ERRNO(0),
	       "errnoRet 0 is kept (the syscall 'succeeds')");
	tap_ok(seccomp_action_from_name("SCMP_ACT_TRACE", false, 0, &a, &err) == 0 && a == SCMP_ACT_TRACE(EPERM),
	       "SCMP_ACT_TRACE defaults to EPERM");
	tap_ok(seccomp_action_from_name("SCMP_ACT_TRACE", true, 7, &a, &err) == 0 && a == SCMP_ACT_TRACE(7),
	       "SCMP_ACT_TRACE with errnoRet");
	tap_is_int(seccomp_action_from_name("SCMP_ACT_ALLOW", true, 1, &a, &err), -1, "errnoRet on ALLOW is an error");
	tap_is_str(err ? err->msg : NULL,
		   "action SCMP_ACT_ALLOW does not take an errno return code (errnoRet 1): Invalid argument",
		   "... that names the action");
	fy_error_free(&err);
	tap_is_int(seccomp_action_from_name("SCMP_ACT_ERRNO", true, 70000, &a, &err), -1,
		   "errnoRet past 16 bits is an error");
	fy_error_free(&err);
	tap_is_int(seccomp_action_from_name("SCMP_ACT_NOPE", false, 0, &a, &err), -1, "an unknown action is an error");
	fy_error_free(&err);

	tap_ok(seccomp_arch_from_name("SCMP_ARCH_X86_64", &arch) == 0 && arch == SCMP_ARCH_X86_64, "SCMP_ARCH_X86_64");
	tap_ok(seccomp_arch_from_name("SCMP_ARCH_AARCH64", &arch) == 0 && arch == SCMP_ARCH_AARCH64,
	       "SCMP_ARCH_AARCH64");
	tap_ok(seccomp_arch_from_name("SCMP_ARCH_LOONGARCH64", &arch) >= 0,
	       "SCMP_ARCH_LOONGARCH64 is a spec name (supported or not by this libseccomp)");
	tap_is_int(seccomp_arch_from_name("SCMP_ARCH_VAX", &arch), -1, "an unknown architecture");

	static const char *const ops[] = { "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",       "SCMP_CMP_EQ",
					   "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ" };
	static const enum scmp_compare op_values[] = { SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE,       SCMP_CMP_EQ,
						       SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ };
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
		tap_ok(seccomp_op_from_name(ops[i], &op) == 0 && op == op_values[i], "operator %s", ops[i]);
	tap_is_int(seccomp_op_from_name("SCMP_CMP_XOR", &op), -1, "an unknown operator");

	tap_ok(seccomp_flag_from_name("SECCOMP_FILTER_FLAG_TSYNC", &flag) == 0 && flag == SECCOMP_FILTER_FLAG_TSYNC,
	       "TSYNC");
	tap_ok(seccomp_flag_from_name("SECCOMP_FILTER_FLAG_LOG", &flag) == 0 && flag == SECCOMP_FILTER_FLAG_LOG, "LOG");
	tap_ok(seccomp_flag_from_name("SECCOMP_FILTER_FLAG_SPEC_ALLOW", &flag) == 0 &&
		   flag == SECCOMP_FILTER_FLAG_SPEC_ALLOW,
	       "SPEC_ALLOW");
	tap_ok(seccomp_flag_from_name("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", &flag) == 0 && flag == (1U << 5),
	       "WAIT_KILLABLE_RECV");
	tap_is_int(seccomp_flag_from_name("SECCOMP_FILTER_FLAG_NEW_LISTENER", &flag), -1,
		   "NEW_LISTENER is not a spec flag (the runtime adds it for NOTIFY)");
}

static char *names_mkdir[] = { "mkdir", "chmod", "no_such_syscall_xyz" };
static char *names_getpid[] = { "getpid" };
static char *names_personality[] = { "personality" };
static char *names_clone[] = { "clone" };
static char *names_kill[] = { "kill" };
static char *arches[] = { "SCMP_ARCH_X86", "SCMP_ARCH_X32" };
static char *flags_log[] = { "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW" };
static struct spec_seccomp_arg args_personality[] = {
	{ .index = 0, .value = 0, .op = "SCMP_CMP_EQ" },
	{ .index = 0, .value = 8, .op = "SCMP_CMP_EQ" },
};
static struct spec_seccomp_arg args_clone[] = {
	{ .index = 0, .value = 0x7E020000, .has_value_two = true, .value_two = 0, .op = "SCMP_CMP_MASKED_EQ" },
	{ .index = 2, .value = 5, .has_value_two = true, .value_two = 99, .op = "SCMP_CMP_GT" },
};

static void test_plan(void)
{
	struct spec_syscall syscalls[] = {
		{ .names = names_mkdir,
		  .n_names = 3,
		  .action = "SCMP_ACT_ERRNO",
		  .has_errno_ret = true,
		  .errno_ret = 13 },
		{ .names = names_getpid, .n_names = 1, .action = "SCMP_ACT_ALLOW" },
		{ .names = names_personality,
		  .n_names = 1,
		  .action = "SCMP_ACT_ALLOW",
		  .args = args_personality,
		  .n_args = 2 },
		{ .names = names_clone, .n_names = 1, .action = "SCMP_ACT_ALLOW", .args = args_clone, .n_args = 2 },
		/* Same as the default action: nothing to add. */
		{ .names = names_kill,
		  .n_names = 1,
		  .action = "SCMP_ACT_ERRNO",
		  .has_errno_ret = true,
		  .errno_ret = 38 },
	};
	struct spec_seccomp s = {
		.default_action = "SCMP_ACT_ERRNO",
		.has_default_errno_ret = true,
		.default_errno_ret = 38,
		.architectures = arches,
		.n_architectures = 2,
		.flags = flags_log,
		.n_flags = 2,
		.syscalls = syscalls,
		.n_syscalls = 5,
	};
	struct fy_error *err = NULL;
	struct seccomp_plan p;
	char *log;

	log_capture_begin();
	tap_is_int(seccomp_plan_build(&s, &p, &err), 0, "a profile translates");
	log = log_capture_take();
	tap_ok(strstr(log, "warning: .linux.seccomp.syscalls[0]: unknown syscall \"no_such_syscall_xyz\", skipped") !=
		   NULL,
	       "an unknown syscall is skipped with a warning");
	free(log);
	tap_is_int(p.default_action, SCMP_ACT_ERRNO(38), "defaultAction with defaultErrnoRet");
	tap_ok(p.n_arches == 2 && p.arches[0] == SCMP_ARCH_X86 && p.arches[1] == SCMP_ARCH_X32,
	       "architectures in order");
	tap_is_int(p.filter_flags, SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW, "flags");
	tap_ok(!p.uses_notify, "no NOTIFY");
	tap_is_int(p.n_rules, 6, "mkdir, chmod, getpid, 2 x personality, clone (kill equals the default)");
	if (p.n_rules == 6) {
		tap_ok(strcmp(p.rules[0].syscall, "mkdir") == 0 &&
			   p.rules[0].nr == seccomp_syscall_resolve_name("mkdir") &&
			   p.rules[0].action == SCMP_ACT_ERRNO(13) && p.rules[0].n_args == 0,
		       "mkdir -> ERRNO(13)");
		tap_ok(strcmp(p.rules[1].syscall, "chmod") == 0 && p.rules[1].action == SCMP_ACT_ERRNO(13),
		       "chmod -> ERRNO(13)");
		tap_ok(strcmp(p.rules[2].syscall, "getpid") == 0 && p.rules[2].action == SCMP_ACT_ALLOW,
		       "getpid -> ALLOW");
		tap_ok(p.rules[3].n_args == 1 && p.rules[3].args[0].op == SCMP_CMP_EQ &&
			   p.rules[3].args[0].datum_a == 0 && p.rules[4].n_args == 1 && p.rules[4].args[0].datum_a == 8,
		       "two conditions on one argument become two rules (OR, as runc)");
		const struct seccomp_plan_rule *clone = &p.rules[5];
		tap_ok(clone->n_args == 2, "conditions on distinct arguments stay in one rule (AND)");
		tap_ok(clone->args[0].arg == 0 && clone->args[0].op == SCMP_CMP_MASKED_EQ &&
			   clone->args[0].datum_a == 0x7E020000 && clone->args[0].datum_b == 0,
		       "MASKED_EQ: value is the mask, valueTwo the result");
		tap_ok(clone->args[1].arg == 2 && clone->args[1].op == SCMP_CMP_GT && clone->args[1].datum_a == 5 &&
			   clone->args[1].datum_b == 0,
		       "other operators ignore valueTwo");
	}

	scmp_filter_ctx ctx = seccomp_filter_build(&p, &err);
	tap_ok(ctx != NULL, "the plan builds a libseccomp filter (%s)", err ? err->msg : "ok");
	if (ctx)
		seccomp_release(ctx);
	fy_error_free(&err);
	seccomp_plan_free(&p);
}

static void expect_plan_error(struct spec_seccomp *s, const char *want, const char *what)
{
	struct fy_error *err = NULL;
	struct seccomp_plan p;

	tap_is_int(seccomp_plan_build(s, &p, &err), -1, "%s", what);
	tap_ok(err && strstr(err->msg, want), "... message: %s", err ? err->msg : "(none)");
	fy_error_free(&err);
}

static void test_plan_errors(void)
{
	char *write_name[] = { "write" };
	char *bad_flag[] = { "SECCOMP_FILTER_FLAG_BOGUS" };
	char *bad_arch[] = { "SCMP_ARCH_VAX" };
	struct spec_seccomp_arg bad_index[] = { { .index = 6, .op = "SCMP_CMP_EQ" } };
	struct spec_seccomp_arg bad_op[] = { { .index = 0, .op = "SCMP_CMP_ABOUT" } };
	struct spec_syscall sc = { .names = names_getpid, .n_names = 1, .action = "SCMP_ACT_ERRNO" };
	struct spec_seccomp s = { .default_action = "SCMP_ACT_ALLOW", .syscalls = &sc, .n_syscalls = 1 };

	s.default_action = NULL;
	expect_plan_error(&s, ".linux.seccomp.defaultAction: required", "defaultAction is required");
	s.default_action = "SCMP_ACT_ALLOW";
	s.has_default_errno_ret = true;
	expect_plan_error(&s, ".linux.seccomp.defaultAction: action SCMP_ACT_ALLOW does not take an errno",
			  "defaultErrnoRet with ALLOW is an error (the spec: MUST fail)");
	s.has_default_errno_ret = false;
	s.default_action = "SCMP_ACT_NOTIFY";
	s.listener_path = "/run/agent.sock";
	expect_plan_error(&s, "SCMP_ACT_NOTIFY cannot be the default action", "NOTIFY as the default action");
	s.default_action = "SCMP_ACT_ALLOW";
	s.listener_path = NULL;

	sc.n_names = 0;
	expect_plan_error(&s, "syscalls[0].names: must contain at least one name", "names must not be empty");
	sc.n_names = 1;
	sc.action = "SCMP_ACT_LOG";
	sc.has_errno_ret = true;
	expect_plan_error(&s, "syscalls[0].action: action SCMP_ACT_LOG does not take an errno", "errnoRet with LOG");
	sc.has_errno_ret = false;
	sc.args = bad_index;
	sc.n_args = 1;
	expect_plan_error(&s, "syscalls[0].args[0].index: 6 is not below 6", "argument index 6");
	sc.args = bad_op;
	expect_plan_error(&s, "unknown operator \"SCMP_CMP_ABOUT\"", "unknown operator");
	sc.args = NULL;
	sc.n_args = 0;

	sc.action = "SCMP_ACT_NOTIFY";
	expect_plan_error(&s, "SCMP_ACT_NOTIFY is used but listenerPath is not set", "NOTIFY needs a listenerPath");
	s.listener_path = "/run/agent.sock";
	sc.names = write_name;
	expect_plan_error(&s, "SCMP_ACT_NOTIFY cannot be used for \"write\"", "NOTIFY on write would deadlock init");
	sc.names = names_getpid;
	s.listener_path = NULL;
	s.listener_metadata = "x";
	sc.action = "SCMP_ACT_ERRNO";
	expect_plan_error(&s, "listenerMetadata: set without listenerPath", "listenerMetadata needs listenerPath");
	s.listener_metadata = NULL;

	s.flags = bad_flag;
	s.n_flags = 1;
	expect_plan_error(&s, "flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_BOGUS\"", "unknown flag");
	s.n_flags = 0;
	s.architectures = bad_arch;
	s.n_architectures = 1;
	expect_plan_error(&s, "architectures[0]: unknown architecture \"SCMP_ARCH_VAX\"", "unknown architecture");
}

/* Loads a filter in a child (no_new_privs: no privilege needed) and checks what the
 * kernel does with the syscalls: errno values and argument conditions. */
static void test_load(void)
{
	char *mkdir_names[] = { "mkdir", "mkdirat" };
	char *dup_names[] = { "dup" };
	char *fcntl_names[] = { "fcntl" };
	struct spec_seccomp_arg dup_args[] = { { .index = 0, .value = 100, .op = "SCMP_CMP_GT" } };
	struct spec_seccomp_arg fcntl_args[] = {
		{ .index = 1, .value = 0xff0, .has_value_two = true, .value_two = 0x400, .op = "SCMP_CMP_MASKED_EQ" },
	};
	struct spec_syscall syscalls[] = {
		{ .names = mkdir_names,
		  .n_names = 2,
		  .action = "SCMP_ACT_ERRNO",
		  .has_errno_ret = true,
		  .errno_ret = EDQUOT },
		{ .names = dup_names,
		  .n_names = 1,
		  .action = "SCMP_ACT_ERRNO",
		  .has_errno_ret = true,
		  .errno_ret = 77,
		  .args = dup_args,
		  .n_args = 1 },
		{ .names = fcntl_names,
		  .n_names = 1,
		  .action = "SCMP_ACT_ERRNO",
		  .has_errno_ret = true,
		  .errno_ret = 78,
		  .args = fcntl_args,
		  .n_args = 1 },
	};
	struct spec_seccomp s = { .default_action = "SCMP_ACT_ALLOW", .syscalls = syscalls, .n_syscalls = 3 };
	int status;

	pid_t pid = fork();
	if (pid == 0) {
		struct fy_error *err = NULL;
		int notify_fd;

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || seccomp_install(&s, &notify_fd, &err) < 0)
			_exit(10);
		if (notify_fd != -1)
			_exit(11);
		if (mkdir("/tmp/foundry-seccomp-test-never", 0700) == 0 || errno != EDQUOT)
			_exit(12);
		if (dup(1000) != -1 || errno != 77)
			_exit(13); /* fd > 100: refused by the filter */
		close(50);
		if (dup(50) != -1 || errno != EBADF)
			_exit(14); /* fd 50 <= 100: reaches the kernel */
		if (fcntl(0, F_DUPFD_CLOEXEC, 0) != -1 || errno != 78)
			_exit(15); /* 1030 & 0xff0 == 0x400 */
		if (fcntl(0, F_GETFD) < 0)
			_exit(16); /* 1 & 0xff0 == 0 */
		_exit(0);
	}
	waitpid(pid, &status, 0);
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "the loaded filter refuses with the configured errno and honours GT and MASKED_EQ (child status %d)",
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1);

	/* Without no_new_privs and without CAP_SYS_ADMIN the kernel refuses: a clear message. */
	if (geteuid() != 0) {
		tap_ok(1, "# SKIP the privilege check needs root to drop CAP_SYS_ADMIN itself");
		return;
	}
	int p[2];
	if (pipe(p) < 0)
		abort();
	pid = fork();
	if (pid == 0) {
		struct fy_error *err = NULL;
		int notify_fd;

		close(p[0]);
		if (setresuid(65534, 65534, 65534) < 0)
			_exit(10);
		if (seccomp_install(&s, &notify_fd, &err) == 0)
			_exit(11);
		dprintf(p[1], "%s", err->msg);
		_exit(0);
	}
	close(p[1]);
	char *msg = NULL;
	struct fy_error *err = NULL;
	fy_read_fd(p[0], &msg, NULL, &err);
	close(p[0]);
	waitpid(pid, &status, 0);
	tap_ok(msg && strstr(msg, "load the seccomp filter: neither no_new_privs nor CAP_SYS_ADMIN is set") != NULL,
	       "loading without no_new_privs or CAP_SYS_ADMIN fails with a clear message (%s)", msg ? msg : "");
	free(msg);
}

static void test_state_json(void)
{
	char *doc =
	    seccomp_state_json("1.3.0", 4422, "MKNOD=/dev/null",
			       "{\"ociVersion\":\"1.3.0\",\"id\":\"c1\",\"status\":\"creating\",\"pid\":4422}", NULL);

	tap_is_str(doc,
		   "{\"ociVersion\":\"1.3.0\",\"fds\":[\"seccompFd\"],\"pid\":4422,\"metadata\":\"MKNOD=/dev/null\","
		   "\"state\":{\"ociVersion\":\"1.3.0\",\"id\":\"c1\",\"status\":\"creating\",\"pid\":4422}}",
		   "the Seccomp State document");
	free(doc);
	doc = seccomp_state_json("1.3.0", 1, NULL, "{}", NULL);
	tap_is_str(doc, "{\"ociVersion\":\"1.3.0\",\"fds\":[\"seccompFd\"],\"pid\":1,\"state\":{}}",
		   "metadata is omitted when unset");
	free(doc);
	doc = seccomp_state_json("1.3.0", 1, "quote\"d", "{}", NULL);
	tap_ok(doc && strstr(doc, "\"metadata\":\"quote\\\"d\"") != NULL, "metadata is JSON-escaped");
	free(doc);
	tap_ok(seccomp_state_json("1.3.0", 1, NULL, "[]", NULL) == NULL, "a state that is not an object is refused");
}

/* Receives one connection: the fd from SCM_RIGHTS and the JSON payload. */
static int agent_receive(int listen_fd, char *json, size_t len, int *fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = json, .iov_len = len - 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf
	};
	int conn = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	size_t got = 0;

	if (conn < 0)
		return -1;
	ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
	if (n <= 0)
		return -1;
	got = (size_t)n;
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (c == NULL || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(fd, CMSG_DATA(c), sizeof *fd);
	while (got < len - 1 && (n = read(conn, json + got, len - 1 - got)) > 0)
		got += (size_t)n;
	json[got] = '\0';
	close(conn);
	return 0;
}

/* The whole SCMP_ACT_NOTIFY path: a child loads a filter that notifies getppid, hands the
 * listener fd to an "agent" (this process) with seccomp_listener_send, and the agent
 * answers the notification. */
static void test_notify(void)
{
	char *names[] = { "getppid" };
	struct spec_syscall sc = { .names = names, .n_names = 1, .action = "SCMP_ACT_NOTIFY" };
	char dir[] = "/tmp/foundry-seccomp-test.XXXXXX";
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char json[4096];
	int status, notify_fd = -1;

	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(addr.sun_path, sizeof addr.sun_path, "%s/agent.sock", dir);
	struct spec_seccomp s = { .default_action = "SCMP_ACT_ALLOW",
				  .syscalls = &sc,
				  .n_syscalls = 1,
				  .listener_path = addr.sun_path,
				  .listener_metadata = "hello" };
	int lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(lfd, 1) < 0)
		abort();

	pid_t pid = fork();
	if (pid == 0) {
		struct fy_error *err = NULL;
		int fd;

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || seccomp_install(&s, &fd, &err) < 0 || fd < 0)
			_exit(10);
		if (seccomp_listener_send(s.listener_path, fd, getpid(), s.listener_metadata,
					  "{\"ociVersion\":\"1.3.0\",\"id\":\"t1\",\"status\":\"creating\"}", &err) < 0)
			_exit(11);
		close(fd);
		/* The agent answers 4242 instead of the real parent pid. */
		_exit(syscall(SYS_getppid) == 4242 ? 0 : 12);
	}
	int r = agent_receive(lfd, json, sizeof json, &notify_fd);
	tap_ok(r == 0 && notify_fd >= 0, "the agent received the notify fd over SCM_RIGHTS");
	char want[256];
	snprintf(want, sizeof want,
		 "{\"ociVersion\":\"%s\",\"fds\":[\"seccompFd\"],\"pid\":%d,\"metadata\":\"hello\",\"state\":{",
		 FY_SPEC_VERSION, (int)pid);
	tap_ok(r == 0 && strncmp(json, want, strlen(want)) == 0, "... with the Seccomp State (%s)", json);
	if (notify_fd >= 0) {
		struct seccomp_notif req;
		struct seccomp_notif_resp resp;

		memset(&req, 0, sizeof req);
		if (ioctl(notify_fd, SECCOMP_IOCTL_NOTIF_RECV, &req) == 0) {
			memset(&resp, 0, sizeof resp);
			resp.id = req.id;
			resp.val = 4242;
			tap_ok(req.data.nr == seccomp_syscall_resolve_name("getppid"),
			       "the notification is the getppid call");
			tap_ok(ioctl(notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0, "the agent answers it");
		} else {
			tap_ok(0, "the agent receives a notification: %s", strerror(errno));
		}
		close(notify_fd);
	}
	waitpid(pid, &status, 0);
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child saw the agent's answer (status %d)",
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	close(lfd);
	unlink(addr.sun_path);
	rmdir(dir);
}

/* Every spec flag reaches seccomp(2), together with NEW_LISTENER (TSYNC then needs
 * TSYNC_ESRCH, which the loader adds). */
static void test_load_flags(void)
{
	char *names[] = { "kexec_load" };
	char *flags[] = { "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
			  "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" };
	struct spec_syscall sc = { .names = names, .n_names = 1, .action = "SCMP_ACT_NOTIFY" };
	struct spec_seccomp s = { .default_action = "SCMP_ACT_ALLOW",
				  .flags = flags,
				  .n_flags = 4,
				  .syscalls = &sc,
				  .n_syscalls = 1,
				  .listener_path = "/unused" };
	int p[2], status;

	if (pipe(p) < 0)
		abort();
	pid_t pid = fork();
	if (pid == 0) {
		struct fy_error *err = NULL;
		int fd = -1;

		close(p[0]);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || seccomp_install(&s, &fd, &err) < 0) {
			dprintf(p[1], "%s", err ? err->msg : strerror(errno));
			_exit(1);
		}
		_exit(fd >= 0 ? 0 : 2);
	}
	close(p[1]);
	char *msg = NULL;
	struct fy_error *err = NULL;
	fy_read_fd(p[0], &msg, NULL, &err);
	close(p[0]);
	waitpid(pid, &status, 0);
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "TSYNC, LOG, SPEC_ALLOW and WAIT_KILLABLE_RECV load with a listener (%s)", msg && *msg ? msg : "ok");
	free(msg);
}

static void test_listener_errors(void)
{
	struct fy_error *err = NULL;

	tap_is_int(seccomp_listener_send("/nonexistent/foundry.sock", 0, 1, NULL, "{}", &err), -1,
		   "a missing listener socket is an error (the spec: MUST generate an error)");
	tap_is_str(err ? err->msg : NULL,
		   "seccomp listener \"/nonexistent/foundry.sock\": connect to \"/nonexistent/foundry.sock\": No such "
		   "file or directory",
		   "... naming the socket");
	fy_error_free(&err);
}

int main(void)
{
	test_names();
	test_plan();
	test_plan_errors();
	test_load();
	test_state_json();
	test_notify();
	test_load_flags();
	test_listener_errors();
	return tap_done();
}
