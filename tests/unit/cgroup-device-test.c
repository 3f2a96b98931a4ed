/* The v2 device program: what the compiled program decides (through the small
 * interpreter), and, as root on a host with a cgroup2 mount, that the kernel's
 * verifier accepts it and that it denies a device open in a real cgroup. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/cgroup-device-bpf.h"
#include "lib/error.h"
#include "lib/util.h"
#include "tests/unit/tap.h"

#define R(allow, type, major, minor, access)      \
	{                                         \
		allow, type, major, minor, access \
	}

static int eval(const struct cgroup_device_rule *rules, size_t n, char type, unsigned access, uint32_t major,
		uint32_t minor)
{
	struct cgroup_device_prog prog;
	int r;

	cgroup_device_prog_compile(rules, n, &prog);
	r = cgroup_device_prog_eval(&prog, type, access, major, minor);
	cgroup_device_prog_clear(&prog);
	return r;
}

static void test_decisions(void)
{
	const struct cgroup_device_rule docker[] = {
		R(false, 'a', -1, -1, CG_DEV_ALL),
		R(true, 'c', 1, 3, CG_DEV_ALL),
		R(true, 'c', 136, -1, CG_DEV_READ | CG_DEV_WRITE),
		R(true, 'b', -1, -1, CG_DEV_MKNOD),
		R(false, 'c', 1, 3, CG_DEV_WRITE),
	};
	size_t n = ARRAY_SIZE(docker);

	tap_is_int(eval(docker, n, 'c', CG_DEV_READ, 1, 3), 1, "c 1:3 read allowed");
	tap_is_int(eval(docker, n, 'c', CG_DEV_WRITE, 1, 3), 0, "c 1:3 write denied by the later deny rule");
	tap_is_int(eval(docker, n, 'c', CG_DEV_READ | CG_DEV_WRITE, 1, 3), 0,
		   "c 1:3 rw denied: a deny of w refuses any request that includes w");
	tap_is_int(eval(docker, n, 'c', CG_DEV_READ, 1, 5), 0, "c 1:5 denied by the deny-all");
	tap_is_int(eval(docker, n, 'c', CG_DEV_READ | CG_DEV_WRITE, 136, 4), 1, "c 136:* rw allowed");
	tap_is_int(eval(docker, n, 'c', CG_DEV_MKNOD, 136, 4), 0, "c 136:* mknod not in the rule's access");
	tap_is_int(eval(docker, n, 'b', CG_DEV_MKNOD, 8, 0), 1, "b *:* m allowed");
	tap_is_int(eval(docker, n, 'b', CG_DEV_READ, 8, 0), 0, "b 8:0 read denied");

	const struct cgroup_device_rule allow_all_last[] = {
		R(false, 'c', 1, 3, CG_DEV_ALL),
		R(true, 'a', -1, -1, CG_DEV_ALL),
	};
	struct cgroup_device_prog prog;
	cgroup_device_prog_compile(allow_all_last, 2, &prog);
	tap_is_int(prog.n_insns, 6 + 2, "a final allow-all ends the program (no unreachable code)");
	tap_is_int(cgroup_device_prog_eval(&prog, 'c', CG_DEV_READ, 1, 3), 1, "allow-all after deny wins");
	cgroup_device_prog_clear(&prog);

	tap_is_int(eval(NULL, 0, 'c', CG_DEV_READ, 1, 3), 0, "no rules: deny");
	const struct cgroup_device_rule big[] = { R(true, 'c', 4294967295LL, 1, CG_DEV_ALL) };
	tap_is_int(eval(big, 1, 'c', CG_DEV_READ, 4294967295U, 1), 1, "major 2^32-1 compares as u32");
	tap_is_int(eval(big, 1, 'c', CG_DEV_READ, 1, 1), 0, "and does not match major 1");
}

static const char *cgroup2_root(void)
{
	static const char *const candidates[] = { "/sys/fs/cgroup/unified", "/sys/fs/cgroup" };
	for (size_t i = 0; i < ARRAY_SIZE(candidates); i++) {
		char path[256];
		snprintf(path, sizeof(path), "%s/cgroup.controllers", candidates[i]);
		if (access(path, F_OK) == 0)
			return candidates[i];
	}
	return NULL;
}

/* Loads the program for "deny all, allow c 1:5 (zero)" into a fresh cgroup and checks
 * that a process in it can open /dev/zero but not /dev/null. */
static void test_kernel(void)
{
	const char *root = cgroup2_root();
	const struct cgroup_device_rule rules[] = {
		R(false, 'a', -1, -1, CG_DEV_ALL),
		R(true, 'c', 1, 5, CG_DEV_READ),
	};
	struct cgroup_device_prog prog;
	struct fy_error *err = NULL;
	char dir[256];
	int status = -1;

	if (geteuid() != 0 || root == NULL) {
		printf("ok %d # SKIP kernel check needs root and a cgroup2 mount\n", ++tap_count);
		return;
	}
	snprintf(dir, sizeof(dir), "%s/foundry-devtest-%d", root, (int)getpid());
	if (mkdir(dir, 0755) < 0) {
		tap_ok(0, "mkdir %s: %s", dir, strerror(errno));
		return;
	}
	cgroup_device_prog_compile(rules, ARRAY_SIZE(rules), &prog);
	tap_ok(cgroup_device_prog_attach(dir, &prog, &err) == 0, "the verifier accepts the program and it attaches");
	if (err)
		tap_diag("%s", err->msg);
	fy_error_free(&err);
	tap_ok(cgroup_device_prog_attach(dir, &prog, &err) == 0, "attaching again (update) succeeds");
	fy_error_free(&err);
	tap_is_int(cgroup_device_prog_count(dir, NULL), 1, "the update replaced the program instead of adding one");
	cgroup_device_prog_clear(&prog);

	pid_t pid = fork();
	if (pid == 0) {
		char procs[300], self[16];
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
		int fd = open(procs, O_WRONLY);
		int n = snprintf(self, sizeof(self), "%d", (int)getpid());
		if (fd < 0 || write(fd, self, (size_t)n) != n)
			_exit(10);
		close(fd);
		int zero = open("/dev/zero", O_RDONLY);
		int null = open("/dev/null", O_RDONLY);
		_exit(zero >= 0 && null < 0 && errno == EPERM ? 0 : 11);
	}
	waitpid(pid, &status, 0);
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "inside the cgroup /dev/zero opens and /dev/null is EPERM (child status %d)", status);
	tap_ok(rmdir(dir) == 0, "the test cgroup is removed");
}

int main(void)
{
	test_decisions();
	test_kernel();
	return tap_done();
}
