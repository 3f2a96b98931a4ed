#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/caps.h"
#include "lib/error.h"
#include "lib/util.h"
#include "tests/helpers/log-capture.h"
#include "tests/unit/tap.h"

#define BIT(cap) (UINT64_C(1) << (cap))

static void test_names(void)
{
	int cap = -1;

	tap_ok(caps_from_name("CAP_CHOWN", &cap) == 0 && cap == 0, "CAP_CHOWN is 0");
	tap_ok(caps_from_name("CAP_SYS_ADMIN", &cap) == 0 && cap == 21, "CAP_SYS_ADMIN is 21");
	tap_ok(caps_from_name("CAP_CHECKPOINT_RESTORE", &cap) == 0 && cap == 40, "CAP_CHECKPOINT_RESTORE is 40");
	tap_is_int(caps_from_name("cap_chown", &cap), -1, "lower case is not the spec's spelling");
	tap_is_int(caps_from_name("CAP_Chown", &cap), -1, "mixed case is refused");
	tap_is_int(caps_from_name("CHOWN", &cap), -1, "the CAP_ prefix is required");
	tap_is_int(caps_from_name("CAP_FOO", &cap), -1, "an unknown name is refused");
	tap_is_int(caps_from_name("12", &cap), -1, "a number is not a name");
	tap_is_int(caps_from_name("CAP_12", &cap), -1, "CAP_<number> is not a name");
	tap_is_int(caps_from_name(NULL, &cap), -1, "NULL is refused");
	tap_is_str(caps_to_name(21), "CAP_SYS_ADMIN", "21 prints as CAP_SYS_ADMIN");
	tap_ok(caps_to_name(64) == NULL, "an unknown number has no name");

	int mismatches = 0;
	for (int i = 0; i <= 40; i++)
		if (caps_from_name(caps_to_name(i), &cap) < 0 || cap != i)
			mismatches++;
	tap_is_int(mismatches, 0, "the name table agrees with libcap for 0..40");
}

static void test_plan(void)
{
	char *bounding[] = { "CAP_CHOWN", "CAP_KILL", "CAP_FOO", "CAP_KILL", "CAP_CHECKPOINT_RESTORE" };
	char *effective[] = { "CAP_KILL" };
	char *ambient[] = { "CAP_NET_BIND_SERVICE" };
	struct spec_capabilities c = {
		.bounding = bounding,
		.n_bounding = 5,
		.has_bounding = true,
		.effective = effective,
		.n_effective = 1,
		.has_effective = true,
		.ambient = ambient,
		.n_ambient = 1,
		.has_ambient = true,
	};
	struct fy_error *err = NULL;
	struct caps_plan p;
	char *log;

	tap_is_int(caps_plan_for_kernel(NULL, 40, &p, &err), 0, "no capabilities object plans");
	tap_ok(!p.apply, "absent capabilities: the process keeps its sets (as runc)");

	log_capture_begin();
	tap_is_int(caps_plan_for_kernel(&c, 39, &p, &err), 0, "a plan with unknown names still succeeds");
	log = log_capture_take();
	tap_ok(p.apply, "present capabilities are applied");
	tap_is_int(p.bounding, BIT(0) | BIT(5), "bounding: known names, duplicates once, unknown ones left out");
	tap_is_int(p.effective, BIT(5), "effective");
	tap_is_int(p.permitted, 0, "an absent set is empty");
	tap_is_int(p.inheritable, 0, "an absent inheritable set is empty");
	tap_is_int(p.ambient, BIT(10), "ambient");
	tap_ok(strstr(log, "warning: process.capabilities.bounding: unknown capability \"CAP_FOO\", ignored") != NULL,
	       "an unknown capability is a warning");
	tap_ok(strstr(log, "CAP_CHECKPOINT_RESTORE is not supported by this kernel (its last capability is 39)") !=
		   NULL,
	       "a capability beyond the kernel's last is a warning");
	free(log);

	tap_is_int(caps_plan_for_kernel(&c, 64, &p, &err), -1, "a last capability past 63 is an error");
	tap_ok(err && err->errnum == ERANGE, "... ERANGE");
	fy_error_free(&err);

	tap_is_int(caps_plan(&c, &p, &err), 0, "caps_plan reads the running kernel");
	tap_ok(p.last_cap >= 36 && p.last_cap < 64, "the running kernel's last capability is plausible (%u)",
	       p.last_cap);
	free(log_capture_take());
}

static uint64_t status_mask(const char *status, const char *field)
{
	const char *line = strstr(status, field);

	return line ? strtoull(line + strlen(field) + 1, NULL, 16) : ~UINT64_C(0);
}

/* The whole sequence init uses, in a child that then execs cat as uid 1000: what the
 * kernel computes at execve for a non-root user is the ambient set (capabilities(7)). */
static void test_apply_sequence(void)
{
	char *bounding[] = {
		"CAP_CHOWN", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE"
	};
	char *permitted[] = { "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_CHOWN" };
	char *effective[] = { "CAP_KILL", "CAP_NET_BIND_SERVICE" };
	char *inheritable[] = { "CAP_NET_BIND_SERVICE", "CAP_SYS_ADMIN" };
	char *ambient[] = { "CAP_NET_BIND_SERVICE", "CAP_KILL" };
	struct spec_capabilities c = {
		.bounding = bounding,
		.n_bounding = 6,
		.has_bounding = true,
		.permitted = permitted,
		.n_permitted = 3,
		.has_permitted = true,
		.effective = effective,
		.n_effective = 2,
		.has_effective = true,
		.inheritable = inheritable,
		.n_inheritable = 2,
		.has_inheritable = true,
		.ambient = ambient,
		.n_ambient = 2,
		.has_ambient = true,
	};
	int before[2], after[2];

	if (geteuid() != 0) {
		tap_ok(1, "# SKIP applying capabilities needs root");
		return;
	}
	if (pipe(before) < 0 || pipe(after) < 0)
		abort();
	pid_t pid = fork();
	if (pid == 0) {
		struct fy_error *err = NULL;
		struct caps_plan p;

		close(before[0]);
		close(after[0]);
		log_capture_begin();
		if (caps_plan(&c, &p, &err) < 0 || caps_apply_bounding(&p, &err) < 0 || caps_prepare_keep(&err) < 0 ||
		    setresgid(1000, 1000, 1000) < 0 || setresuid(1000, 1000, 1000) < 0 ||
		    caps_apply_after_setuid(&p, &err) < 0) {
			dprintf(before[1], "ERROR %s\n", err ? err->msg : strerror(errno));
			_exit(1);
		}
		char *log = log_capture_take();
		FILE *f = fopen("/proc/self/status", "r");
		char line[256];
		while (f && fgets(line, sizeof line, f))
			if (strncmp(line, "Cap", 3) == 0)
				dprintf(before[1], "%s", line);
		dprintf(before[1], "LOG %s", log);
		close(before[1]);
		dup2(after[1], 1);
		execl("/bin/cat", "cat", "/proc/self/status", (char *)NULL);
		_exit(127);
	}
	close(before[1]);
	close(after[1]);
	char *pre = NULL, *post = NULL;
	struct fy_error *err = NULL;
	int status;
	fy_read_fd(before[0], &pre, NULL, &err);
	fy_read_fd(after[0], &post, NULL, &err);
	close(before[0]);
	close(after[0]);
	waitpid(pid, &status, 0);

	tap_ok(strstr(pre, "ERROR") == NULL, "the sequence runs as root (%s)", strstr(pre, "ERROR") ? pre : "ok");
	tap_is_int(status_mask(pre, "CapBnd:"), BIT(0) | BIT(5) | BIT(6) | BIT(7) | BIT(8) | BIT(10),
		   "after setuid: the bounding set is exactly the config's");
	tap_is_int(status_mask(pre, "CapPrm:"), BIT(0) | BIT(5) | BIT(10),
		   "after setuid: permitted survived the uid change");
	tap_is_int(status_mask(pre, "CapEff:"), BIT(5) | BIT(10), "after setuid: effective");
	tap_is_int(status_mask(pre, "CapInh:"), BIT(10),
		   "after setuid: inheritable, without what the bounding set dropped");
	tap_is_int(status_mask(pre, "CapAmb:"), BIT(10), "after setuid: ambient only where permitted and inheritable");
	tap_ok(strstr(pre, "inheritable: CAP_SYS_ADMIN cannot be granted") != NULL,
	       "an inheritable cap outside the bounding set is a warning");
	tap_ok(strstr(pre, "ambient: CAP_KILL cannot be raised") != NULL,
	       "an ambient cap not inheritable is a warning");
	tap_is_int(status_mask(post, "CapPrm:"), BIT(10), "after execve as uid 1000: permitted is the ambient set");
	tap_is_int(status_mask(post, "CapEff:"), BIT(10), "after execve: effective is the ambient set");
	tap_is_int(status_mask(post, "CapAmb:"), BIT(10), "after execve: ambient kept");
	tap_is_int(status_mask(post, "CapInh:"), BIT(10), "after execve: inheritable kept");
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child exited cleanly");
	free(pre);
	free(post);
}

int main(void)
{
	test_names();
	test_plan();
	test_apply_sequence();
	return tap_done();
}
