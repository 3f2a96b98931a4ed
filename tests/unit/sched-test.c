#include "config.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/sched.h"
#include "lib/util.h"
#include "tests/unit/tap.h"

static void test_lists(void)
{
	struct fy_error *err = NULL;
	struct sched_mask m;

	tap_is_int(sched_list_parse("0-3,7", "cpus", &m, &err), 0, "\"0-3,7\" parses");
	tap_ok(sched_mask_test(&m, 0) && sched_mask_test(&m, 3) && sched_mask_test(&m, 7) && !sched_mask_test(&m, 4) &&
		   sched_mask_count(&m) == 5,
	       "... to 0,1,2,3,7");
	tap_is_int(sched_list_parse("", "cpus", &m, &err), 0, "an empty list parses");
	tap_is_int(sched_mask_count(&m), 0, "... to nothing");
	tap_is_int(sched_list_parse(NULL, "cpus", &m, &err), 0, "an absent list parses to nothing");
	tap_is_int(sched_list_parse("5", "cpus", &m, &err), 0, "a single number");
	tap_ok(sched_mask_test(&m, 5) && sched_mask_count(&m) == 1, "... is one bit");
	tap_is_int(sched_list_parse("2-2,2", "cpus", &m, &err), 0, "a one-element range and a repeat");
	tap_is_int(sched_mask_count(&m), 1, "... is one bit");
	tap_is_int(sched_list_parse("0-1023", "cpus", &m, &err), 0, "the whole mask");
	tap_is_int(sched_mask_count(&m), 1024, "... 1024 bits");
	tap_ok(sched_mask_test(&m, 64) && sched_mask_test(&m, 1023), "... across words");

	static const char *const bad[] = { "3-1", "1,,2", ",1",    "1,",   "a",          "1-",
					   "-1",  "1 ,2", "0-3:2", "1024", "99999999999" };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		tap_is_int(sched_list_parse(bad[i], ".process.execCPUAffinity.final", &m, &err), -1,
			   "\"%s\" is refused", bad[i]);
		fy_error_free(&err);
	}
	sched_list_parse("3-1", ".process.execCPUAffinity.final", &m, &err);
	tap_is_str(err ? err->msg : NULL,
		   ".process.execCPUAffinity.final: \"3-1\": range 3-1 goes backwards: Invalid argument",
		   "the message names the field");
	fy_error_free(&err);
}

static void expect_sched_error(struct spec_scheduler *s, const char *want, const char *what)
{
	struct fy_error *err = NULL;
	struct sched_attr_v1 a;

	tap_is_int(sched_scheduler_plan(s, &a, &err), -1, "%s", what);
	tap_ok(err && strstr(err->msg, want), "... %s", err ? err->msg : "(no error)");
	fy_error_free(&err);
}

static void test_scheduler(void)
{
	char *flags[] = { "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_KEEP_PARAMS" };
	char *bad_flags[] = { "SCHED_FLAG_FAST" };
	struct spec_scheduler s = {
		.policy = "SCHED_FIFO", .has_priority = true, .priority = 10, .flags = flags, .n_flags = 2
	};
	struct fy_error *err = NULL;
	struct sched_attr_v1 a;

	tap_is_int(sched_scheduler_plan(&s, &a, &err), 0, "SCHED_FIFO priority 10");
	tap_ok(a.size == 56 && a.sched_policy == SCHED_FIFO && a.sched_priority == 10 && a.sched_flags == 0x11,
	       "... policy, priority, flags, SCHED_ATTR_SIZE_VER1");
	s.priority = 0;
	expect_sched_error(&s, "SCHED_FIFO needs a priority in 1..99, got 0", "FIFO with priority 0");
	s.policy = "SCHED_RR";
	s.priority = 100;
	expect_sched_error(&s, "SCHED_RR needs a priority in 1..99, got 100", "RR with priority 100");
	s.policy = "SCHED_OTHER";
	s.priority = 5;
	expect_sched_error(&s, "must be 0 for SCHED_OTHER", "OTHER with a priority");
	s.priority = 0;
	s.has_nice = true;
	s.nice = -21;
	expect_sched_error(&s, "nice: -21 is outside -20..19", "nice -21");
	s.nice = 19;
	tap_is_int(sched_scheduler_plan(&s, &a, &err), 0, "OTHER nice 19");
	tap_ok(a.sched_nice == 19 && a.sched_policy == SCHED_OTHER, "... nice kept");
	s.policy = "SCHED_ISO";
	expect_sched_error(&s, "SCHED_ISO is reserved but not implemented by Linux", "SCHED_ISO");
	s.policy = "SCHED_FAST";
	expect_sched_error(&s, "unknown policy \"SCHED_FAST\"", "unknown policy");
	s.policy = "SCHED_BATCH";
	s.flags = bad_flags;
	s.n_flags = 1;
	expect_sched_error(&s, "flags[0]: unknown flag \"SCHED_FLAG_FAST\"", "unknown flag");
	s.n_flags = 0;
	s.has_runtime = true;
	s.runtime = 5000;
	expect_sched_error(&s, "runtime, deadline and period are for SCHED_DEADLINE, not SCHED_BATCH",
			   "deadline parameters with BATCH");

	struct spec_scheduler dl = { .policy = "SCHED_DEADLINE",
				     .has_runtime = true,
				     .runtime = 10000000,
				     .has_deadline = true,
				     .deadline = 30000000,
				     .has_period = true,
				     .period = 100000000 };
	tap_is_int(sched_scheduler_plan(&dl, &a, &err), 0, "SCHED_DEADLINE 10ms/30ms/100ms");
	tap_ok(a.sched_policy == 6 && a.sched_runtime == 10000000 && a.sched_deadline == 30000000 &&
		   a.sched_period == 100000000,
	       "... the three parameters");
	dl.deadline = 0;
	expect_sched_error(&dl, "SCHED_DEADLINE needs a deadline", "deadline 0");
	dl.deadline = 5000000;
	expect_sched_error(&dl, "runtime 10000000 is larger than deadline 5000000", "runtime > deadline");
	dl.deadline = 200000000;
	expect_sched_error(&dl, "period 100000000 is shorter than deadline 200000000", "period < deadline");
	dl.deadline = 30000000;
	dl.runtime = 100;
	expect_sched_error(&dl, "needs at least 1024ns", "runtime under the kernel's resolution");
}

static void test_ioprio_personality(void)
{
	struct spec_io_priority io = { .class_ = "IOPRIO_CLASS_IDLE", .priority = 4 };
	struct spec_personality pers = { .domain = "LINUX32" };
	struct fy_error *err = NULL;
	unsigned long persona;
	int v;

	tap_is_int(sched_ioprio_plan(&io, &v, &err), 0, "IOPRIO_CLASS_IDLE 4");
	tap_is_int(v, (3 << 13) | 4, "... IOPRIO_PRIO_VALUE(3, 4)");
	io.class_ = "IOPRIO_CLASS_RT";
	io.priority = 0;
	tap_ok(sched_ioprio_plan(&io, &v, &err) == 0 && v == (1 << 13), "IOPRIO_CLASS_RT 0");
	io.priority = 8;
	tap_is_int(sched_ioprio_plan(&io, &v, &err), -1, "priority 8 is refused");
	fy_error_free(&err);
	io.priority = 1;
	io.class_ = "IOPRIO_CLASS_NONE";
	tap_is_int(sched_ioprio_plan(&io, &v, &err), -1, "an unknown class is refused");
	fy_error_free(&err);

	tap_ok(sched_personality_plan(&pers, &persona, &err) == 0 && persona == PER_LINUX32, "LINUX32");
	pers.domain = "LINUX";
	tap_ok(sched_personality_plan(&pers, &persona, &err) == 0 && persona == PER_LINUX, "LINUX");
	pers.domain = "BSD";
	tap_is_int(sched_personality_plan(&pers, &persona, &err), -1, "another domain is refused");
	fy_error_free(&err);
	char *flags[] = { "ADDR_NO_RANDOMIZE" };
	pers.domain = "LINUX";
	pers.flags = flags;
	pers.n_flags = 1;
	tap_is_int(sched_personality_plan(&pers, &persona, &err), -1, "flags are refused (the spec supports none)");
	fy_error_free(&err);
}

static void test_mempolicy(void)
{
	char *static_nodes[] = { "MPOL_F_STATIC_NODES" };
	char *both[] = { "MPOL_F_STATIC_NODES", "MPOL_F_RELATIVE_NODES" };
	struct spec_memory_policy m = {
		.mode = "MPOL_INTERLEAVE", .nodes = "2-3", .flags = static_nodes, .n_flags = 1
	};
	struct fy_error *err = NULL;
	struct sched_mempolicy p;

	tap_is_int(sched_mempolicy_plan(&m, &p, &err), 0, "MPOL_INTERLEAVE 2-3 static");
	tap_ok(p.mode == (3 | (1 << 15)) && p.has_nodes && sched_mask_test(&p.nodes, 2) &&
		   sched_mask_test(&p.nodes, 3) && sched_mask_count(&p.nodes) == 2,
	       "... mode with the flag, nodes 2 and 3");
	m.flags = both;
	m.n_flags = 2;
	tap_is_int(sched_mempolicy_plan(&m, &p, &err), -1, "STATIC and RELATIVE together are refused");
	fy_error_free(&err);
	m.n_flags = 0;
	m.mode = "MPOL_DEFAULT";
	tap_is_int(sched_mempolicy_plan(&m, &p, &err), -1, "MPOL_DEFAULT with nodes is refused");
	fy_error_free(&err);
	m.mode = "MPOL_LOCAL";
	m.nodes = NULL;
	tap_ok(sched_mempolicy_plan(&m, &p, &err) == 0 && p.mode == 4 && !p.has_nodes, "MPOL_LOCAL without nodes");
	m.mode = "MPOL_BIND";
	tap_is_int(sched_mempolicy_plan(&m, &p, &err), -1, "MPOL_BIND without nodes is refused");
	fy_error_free(&err);
	m.mode = "MPOL_PREFERRED";
	tap_ok(sched_mempolicy_plan(&m, &p, &err) == 0 && p.mode == 1, "MPOL_PREFERRED without nodes (local)");
	m.mode = "MPOL_WEIGHTED_INTERLEAVE";
	m.nodes = "0";
	tap_ok(sched_mempolicy_plan(&m, &p, &err) == 0 && p.mode == 6, "MPOL_WEIGHTED_INTERLEAVE");
	m.mode = "MPOL_PREFERRED_MANY";
	tap_ok(sched_mempolicy_plan(&m, &p, &err) == 0 && p.mode == 5, "MPOL_PREFERRED_MANY");
	m.mode = "MPOL_RANDOM";
	tap_is_int(sched_mempolicy_plan(&m, &p, &err), -1, "an unknown mode is refused");
	fy_error_free(&err);
	m.mode = "MPOL_BIND";
	m.nodes = "0-";
	tap_is_int(sched_mempolicy_plan(&m, &p, &err), -1, "a bad node list is refused");
	tap_ok(err && strstr(err->msg, ".linux.memoryPolicy.nodes: \"0-\""), "... naming the field");
	fy_error_free(&err);
}

/* Applying in a child, where nothing needs privilege: what the kernel reports back. */
static void test_apply(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		struct fy_error *err = NULL;
		struct spec_scheduler s = { .policy = "SCHED_BATCH", .has_nice = true, .nice = 7 };
		struct spec_io_priority io = { .class_ = "IOPRIO_CLASS_BE", .priority = 6 };
		struct spec_personality pers = { .domain = "LINUX32" };
		struct spec_memory_policy mp = { .mode = "MPOL_BIND", .nodes = "0" };
		struct spec_process proc = { .scheduler = &s, .io_priority = &io };
		struct spec_linux l = { .personality = &pers, .memory_policy = &mp };
		struct spec_config c = { .process = &proc, .linux_ = &l };
		struct utsname u;
		int mode = -1;
		unsigned long nodes[SCHED_MASK_WORDS] = { 0 };
		cpu_set_t set;

		if (sched_validate(&c, &err) < 0 || sched_apply_process(&c, &err) < 0) {
			fprintf(stderr, "# %s\n", err->msg);
			_exit(10);
		}
		if (sched_getscheduler(0) != SCHED_BATCH || getpriority(PRIO_PROCESS, 0) != 7)
			_exit(11);
		if (syscall(SYS_ioprio_get, 1, 0) != ((2 << 13) | 6))
			_exit(12);
		if (uname(&u) < 0 || strcmp(u.machine, "i686") != 0)
			_exit(13);
		if (syscall(SYS_get_mempolicy, &mode, nodes, SCHED_MASK_BITS + 1, NULL, 0) < 0 || mode != 2 ||
		    nodes[0] != 1)
			_exit(14);
		if (sched_cpu_affinity_apply(0, "0", "final", &err) < 0 || sched_getaffinity(0, sizeof set, &set) < 0 ||
		    CPU_COUNT(&set) != 1 || !CPU_ISSET(0, &set))
			_exit(15);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "applied in a child: SCHED_BATCH nice 7, ioprio BE 6, LINUX32 uname i686, MPOL_BIND node 0, cpu 0 "
	       "(status %d)",
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1);

	struct fy_error *err = NULL;
	tap_is_int(sched_cpu_affinity_apply(0, "", "final", &err), 0, "an empty affinity changes nothing");
	tap_is_int(sched_cpu_affinity_apply(0, "1023", "final", &err), -1,
		   "an affinity to cpus that do not exist fails");
	tap_ok(err && strstr(err->msg, "final: pin process 0 to cpus \"1023\""), "... %s", err ? err->msg : "");
	fy_error_free(&err);
}

int main(void)
{
	test_lists();
	test_scheduler();
	test_ioprio_personality();
	test_mempolicy();
	test_apply();
	return tap_done();
}
