/* The planning layer: linux.resources -> cgroup file writes, for v1, v2 and hybrid
 * placements, and runc's v1 -> v2 conversions. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/cgroup-plan.h"
#include "lib/error.h"
#include "tests/unit/tap.h"

static struct cgroup_placement all(enum cgroup_version v)
{
	struct cgroup_placement p = { 0 };
	for (int c = 0; c < CG_CONTROLLER_COUNT; c++)
		p.where[c] = v;
	if (v == CG_V2)
		p.where[CG_CPUACCT] = p.where[CG_NET_CLS] = p.where[CG_NET_PRIO] = CG_ABSENT;
	else
		p.where[CG_CORE] = CG_ABSENT;
	return p;
}

/* The value planned for file (the last one when written several times), or NULL. */
static const char *planned(const struct cgroup_plan *plan, const char *file)
{
	const char *v = NULL;
	for (size_t i = 0; i < plan->n_writes; i++)
		if (strcmp(plan->writes[i].file, file) == 0)
			v = plan->writes[i].value;
	return v;
}

static int index_of(const struct cgroup_plan *plan, const char *file)
{
	for (size_t i = 0; i < plan->n_writes; i++)
		if (strcmp(plan->writes[i].file, file) == 0)
			return (int)i;
	return -1;
}

static void build_ok(const struct spec_resources *res, const struct cgroup_placement *p, struct cgroup_plan *plan,
		     const char *what)
{
	struct fy_error *err = NULL;
	int r = cgroup_plan_build(res, p, NULL, 0, plan, &err);
	tap_ok(r == 0, "plan %s", what);
	if (err)
		tap_diag("%s", err->msg);
	fy_error_free(&err);
}

static void build_fails(const struct spec_resources *res, const struct cgroup_placement *p, const char *needle,
			const char *what)
{
	struct fy_error *err = NULL;
	struct cgroup_plan plan;
	int r = cgroup_plan_build(res, p, NULL, 0, &plan, &err);
	tap_ok(r < 0 && err && strstr(err->msg, needle), "%s is refused naming %s (%s)", what, needle,
	       err ? err->msg : "no error");
	if (r == 0)
		cgroup_plan_clear(&plan);
	fy_error_free(&err);
}

static void test_conversions(void)
{
	struct fy_error *err = NULL;
	int64_t out = 0;

	tap_is_int(cgroup_convert_shares_to_weight(0), 0, "shares 0 stays unset");
	tap_is_int(cgroup_convert_shares_to_weight(2), 1, "shares 2 -> weight 1");
	tap_is_int(cgroup_convert_shares_to_weight(1024), 39, "shares 1024 -> weight 39 (runc)");
	tap_is_int(cgroup_convert_shares_to_weight(262144), 10000, "shares 262144 -> weight 10000");
	tap_is_int(cgroup_convert_shares_to_weight(1000000), 10000, "shares above the range clamp");
	tap_is_int(cgroup_convert_blkio_weight_to_io_weight(10), 1, "blkio weight 10 -> io.weight 1");
	tap_is_int(cgroup_convert_blkio_weight_to_io_weight(500), 4950, "blkio weight 500 -> io.weight 4950");
	tap_is_int(cgroup_convert_blkio_weight_to_io_weight(1000), 10000, "blkio weight 1000 -> io.weight 10000");

	tap_ok(cgroup_convert_swap_to_v2(200, 100, &out, &err) == 0 && out == 100, "swap 200 with limit 100 -> 100");
	tap_ok(cgroup_convert_swap_to_v2(-1, 100, &out, &err) == 0 && out == -1, "swap -1 -> max");
	tap_ok(cgroup_convert_swap_to_v2(0, -1, &out, &err) == 0 && out == -1, "unlimited memory, swap unset -> max");
	tap_ok(cgroup_convert_swap_to_v2(100, 100, &out, &err) == 0 && out == 0, "swap == limit -> no swap");
	tap_ok(cgroup_convert_swap_to_v2(50, 100, &out, &err) < 0 && strstr(err->msg, ".memory.swap"),
	       "swap below the limit is an error");
	fy_error_free(&err);
	tap_ok(cgroup_convert_swap_to_v2(50, 0, &out, &err) < 0, "swap without a memory limit is an error");
	fy_error_free(&err);

	tap_is_int(cgroup_parse_page_size("2MB"), 2 << 20, "2MB");
	tap_is_int(cgroup_parse_page_size("1GB"), 1 << 30, "1GB");
	tap_is_int(cgroup_parse_page_size("64KB"), 64 << 10, "64KB");
	tap_is_int(cgroup_parse_page_size("2M"), -1, "2M is malformed");
	tap_is_int(cgroup_parse_page_size("MB"), -1, "MB is malformed");
}

static void test_memory(void)
{
	struct spec_memory m = { .has_limit = true,
				 .limit = 100 << 20,
				 .has_swap = true,
				 .swap = 200 << 20,
				 .has_reservation = true,
				 .reservation = 50 << 20,
				 .has_kernel = true,
				 .kernel = 1 << 20,
				 .has_swappiness = true,
				 .swappiness = 10,
				 .has_disable_oom_killer = true,
				 .disable_oom_killer = true };
	struct spec_resources res = { .memory = &m };
	struct cgroup_placement v1 = all(CG_V1), v2 = all(CG_V2);
	struct cgroup_plan plan;

	build_ok(&res, &v1, &plan, "memory on v1");
	tap_is_str(planned(&plan, "memory.limit_in_bytes"), "104857600", "v1 memory.limit_in_bytes");
	tap_is_str(planned(&plan, "memory.memsw.limit_in_bytes"), "209715200", "v1 memsw is memory+swap");
	tap_ok(index_of(&plan, "memory.limit_in_bytes") + 1 == index_of(&plan, "memory.memsw.limit_in_bytes"),
	       "v1 limit is planned right before memsw (the backend reorders when raising)");
	tap_is_str(planned(&plan, "memory.soft_limit_in_bytes"), "52428800", "v1 reservation -> soft limit");
	tap_is_str(planned(&plan, "memory.swappiness"), "10", "v1 swappiness");
	tap_is_str(planned(&plan, "memory.oom_control"), "1", "v1 disableOOMKiller");
	tap_ok(plan.writes[index_of(&plan, "memory.kmem.limit_in_bytes")].flags & CG_WRITE_OPTIONAL,
	       "v1 kmem is optional (gone on new kernels)");
	cgroup_plan_clear(&plan);

	build_ok(&res, &v2, &plan, "memory on v2");
	tap_is_str(planned(&plan, "memory.max"), "104857600", "v2 memory.max");
	tap_is_str(planned(&plan, "memory.swap.max"), "104857600", "v2 memory.swap.max is swap alone");
	tap_is_str(planned(&plan, "memory.low"), "52428800", "v2 reservation -> memory.low");
	tap_ok(planned(&plan, "memory.kmem.limit_in_bytes") == NULL && planned(&plan, "memory.swappiness") == NULL,
	       "v2 ignores kernel memory and swappiness");
	cgroup_plan_clear(&plan);

	m = (struct spec_memory){ .has_limit = true, .limit = -1 };
	build_ok(&res, &v2, &plan, "unlimited memory on v2");
	tap_is_str(planned(&plan, "memory.max"), "max", "v2 limit -1 -> max");
	cgroup_plan_clear(&plan);

	m = (struct spec_memory){ .has_swappiness = true, .swappiness = 101 };
	build_fails(&res, &v1, "swappiness", "swappiness 101");
	m = (struct spec_memory){ .has_limit = true, .limit = 100, .has_swap = true, .swap = 50 };
	build_fails(&res, &v2, ".memory.swap", "v2 swap below limit");

	struct cgroup_placement none = all(CG_V1);
	none.where[CG_MEMORY] = CG_ABSENT;
	m = (struct spec_memory){ .has_limit = true, .limit = 100 };
	build_fails(&res, &none, "memory controller is not available", "memory without a memory controller");
}

static void test_cpu(void)
{
	struct spec_cpu c = { .has_shares = true,
			      .shares = 1024,
			      .has_quota = true,
			      .quota = 50000,
			      .has_period = true,
			      .period = 100000,
			      .cpus = "0-1",
			      .mems = "0" };
	struct spec_resources res = { .cpu = &c };
	struct cgroup_placement v1 = all(CG_V1), v2 = all(CG_V2);
	struct cgroup_plan plan;

	build_ok(&res, &v1, &plan, "cpu on v1");
	tap_is_str(planned(&plan, "cpu.shares"), "1024", "v1 cpu.shares");
	tap_is_str(planned(&plan, "cpu.cfs_quota_us"), "50000", "v1 quota");
	tap_ok(index_of(&plan, "cpu.cfs_period_us") < index_of(&plan, "cpu.cfs_quota_us"), "v1 period before quota");
	tap_is_str(planned(&plan, "cpuset.cpus"), "0-1", "cpuset.cpus");
	tap_ok(plan.writes[index_of(&plan, "cpuset.cpus")].controller == CG_CPUSET, "cpuset.cpus goes to cpuset");
	cgroup_plan_clear(&plan);

	build_ok(&res, &v2, &plan, "cpu on v2");
	tap_is_str(planned(&plan, "cpu.weight"), "39", "v2 cpu.weight from shares");
	tap_is_str(planned(&plan, "cpu.max"), "50000 100000", "v2 cpu.max quota period");
	tap_is_str(planned(&plan, "cpuset.mems"), "0", "v2 cpuset.mems");
	cgroup_plan_clear(&plan);

	c = (struct spec_cpu){ .has_quota = true, .quota = -1, .has_period = true, .period = 50000 };
	build_ok(&res, &v2, &plan, "unlimited quota on v2");
	tap_is_str(planned(&plan, "cpu.max"), "max 50000", "v2 quota -1 -> max");
	cgroup_plan_clear(&plan);

	c = (struct spec_cpu){ .has_quota = true, .quota = 20000 };
	build_ok(&res, &v2, &plan, "quota alone on v2");
	tap_is_str(planned(&plan, "cpu.max"), "20000", "v2 lone quota keeps the period");
	cgroup_plan_clear(&plan);

	c = (struct spec_cpu){ .has_realtime_runtime = true, .realtime_runtime = 1000 };
	build_fails(&res, &v2, "realtime", "realtime on v2");
	build_ok(&res, &v1, &plan, "realtime on v1");
	tap_is_str(planned(&plan, "cpu.rt_runtime_us"), "1000", "v1 rt runtime");
	cgroup_plan_clear(&plan);
}

static void test_pids_blkio_hugetlb(void)
{
	struct spec_pids pids = { .has_limit = true, .limit = 32 };
	struct spec_throttle_device rbps = { .major = 8, .minor = 0, .rate = 1048576 };
	struct spec_weight_device wd = { .major = 8, .minor = 0, .has_weight = true, .weight = 500 };
	struct spec_block_io bio = { .has_weight = true,
				     .weight = 500,
				     .weight_device = &wd,
				     .n_weight_device = 1,
				     .throttle_read_bps_device = &rbps,
				     .n_throttle_read_bps_device = 1 };
	struct spec_hugepage_limit huge = { .page_size = "2048KB", .limit = 4 << 20 };
	struct spec_resources res = {
		.pids = &pids, .block_io = &bio, .hugepage_limits = &huge, .n_hugepage_limits = 1
	};
	struct cgroup_placement v1 = all(CG_V1), v2 = all(CG_V2), hybrid = all(CG_V1);
	struct cgroup_plan plan;

	build_ok(&res, &v1, &plan, "pids, blkio, hugetlb on v1");
	tap_is_str(planned(&plan, "pids.max"), "32", "pids.max");
	tap_is_str(planned(&plan, "blkio.weight"), "500", "v1 blkio.weight");
	tap_is_str(planned(&plan, "blkio.weight_device"), "8:0 500", "v1 blkio.weight_device");
	tap_is_str(planned(&plan, "blkio.throttle.read_bps_device"), "8:0 1048576", "v1 throttle");
	tap_is_str(planned(&plan, "hugetlb.2MB.limit_in_bytes"), "4194304", "v1 hugetlb, 2048KB named 2MB");
	cgroup_plan_clear(&plan);

	build_ok(&res, &v2, &plan, "pids, io, hugetlb on v2");
	tap_is_str(planned(&plan, "io.weight"), "8:0 4950", "v2 io.weight per device (converted)");
	tap_is_str(planned(&plan, "io.max"), "8:0 rbps=1048576", "v2 io.max");
	tap_is_str(planned(&plan, "hugetlb.2MB.max"), "4194304", "v2 hugetlb max");
	tap_ok(index_of(&plan, "hugetlb.2MB.rsvd.max") >= 0, "v2 hugetlb rsvd.max planned too");
	cgroup_plan_clear(&plan);

	/* Hybrid: hugetlb only on the v2 side, everything else v1. */
	hybrid.where[CG_HUGETLB] = CG_V2;
	hybrid.where[CG_CORE] = CG_V2;
	build_ok(&res, &hybrid, &plan, "hybrid placement");
	tap_is_str(planned(&plan, "hugetlb.2MB.max"), "4194304", "hybrid: hugetlb written in v2 format");
	tap_is_str(planned(&plan, "pids.max"), "32", "hybrid: pids written in v1 format");
	tap_ok(plan.writes[index_of(&plan, "hugetlb.2MB.max")].version == CG_V2, "hybrid: hugetlb write is v2");
	cgroup_plan_clear(&plan);

	pids.limit = -1;
	build_ok(&res, &v2, &plan, "pids -1");
	tap_is_str(planned(&plan, "pids.max"), "max", "pids -1 -> max");
	cgroup_plan_clear(&plan);

	huge.page_size = "2M";
	build_fails(&res, &v2, "pageSize", "hugepage size 2M");
}

static void test_network_rdma_unified(void)
{
	struct spec_net_priority prio = { .name = "eth0", .priority = 5 };
	struct spec_network_resources net = {
		.has_class_id = true, .class_id = 0x100001, .priorities = &prio, .n_priorities = 1
	};
	struct spec_rdma_limit rdma = { .device = "mlx5_1", .has_hca_handles = true, .hca_handles = 3 };
	struct spec_resources res = { .network = &net, .rdma = &rdma, .n_rdma = 1 };
	struct cgroup_placement v1 = all(CG_V1), v2 = all(CG_V2);
	struct cgroup_plan plan;

	build_ok(&res, &v1, &plan, "network and rdma on v1");
	tap_is_str(planned(&plan, "net_cls.classid"), "1048577", "net_cls.classid");
	tap_is_str(planned(&plan, "net_prio.ifpriomap"), "eth0 5", "net_prio.ifpriomap");
	tap_is_str(planned(&plan, "rdma.max"), "mlx5_1 hca_handle=3", "rdma.max");
	cgroup_plan_clear(&plan);
	build_fails(&res, &v2, "net_cls", "network classID on v2");

	struct spec_kv kv[] = { { "memory.high", "1000000" }, { "io.max", "8:0 wiops=120" }, { "cgroup.freeze", "0" } };
	struct spec_resources uni = { .unified = kv, .n_unified = 3 };
	build_ok(&uni, &v2, &plan, "unified on v2");
	tap_is_str(planned(&plan, "memory.high"), "1000000", "unified memory.high");
	tap_ok(plan.writes[index_of(&plan, "io.max")].controller == CG_BLKIO,
	       "unified io.max goes to the io controller");
	tap_ok(plan.writes[index_of(&plan, "cgroup.freeze")].controller == CG_CORE, "unified cgroup.* is a core file");
	cgroup_plan_clear(&plan);
	build_fails(&uni, &v1, "no cgroup v2 hierarchy", "unified on v1");

	struct spec_kv bad[] = { { "../../memory.max", "1" } };
	struct spec_resources escape = { .unified = bad, .n_unified = 1 };
	build_fails(&escape, &v2, "not a file in the container's cgroup directory", "unified key with ..");
	bad[0].key = "..";
	build_fails(&escape, &v2, "not a file in the container's cgroup directory", "unified key \"..\"");
	bad[0].key = "memory";
	build_fails(&escape, &v2, "<controller>.<file>", "unified key without a dot");
	bad[0].key = "memory.max";
	struct cgroup_placement nomem = all(CG_V2);
	nomem.where[CG_MEMORY] = CG_ABSENT;
	build_fails(&escape, &nomem, "memory controller is not available", "unified key of a missing controller");
}

static void test_devices(void)
{
	struct spec_device_cgroup rules[] = {
		{ .allow = false, .access = "rwm" },
		{ .allow = true,
		  .type = "c",
		  .has_major = true,
		  .major = 10,
		  .has_minor = true,
		  .minor = 200,
		  .access = "rw" },
	};
	struct spec_device extra = {
		.type = "b", .path = "/dev/sda", .has_major = true, .major = 8, .has_minor = true, .minor = 0
	};
	struct spec_resources res = { .devices = rules, .n_devices = 2 };
	struct cgroup_placement v1 = all(CG_V1), v2 = all(CG_V2);
	struct cgroup_plan plan;
	struct fy_error *err = NULL;

	tap_ok(cgroup_plan_build(&res, &v1, &extra, 1, &plan, &err) == 0, "devices on v1");
	tap_ok(plan.has_devices && plan.n_devices == 2 + 1 + 11, "rules, the extra node and the defaults");
	tap_is_str(plan.writes[0].file, "devices.deny", "first write is the deny-all");
	tap_is_str(plan.writes[0].value, "a *:* rwm", "deny-all line");
	tap_is_str(plan.writes[1].value, "c 10:200 rw", "then the listed allow");
	tap_is_str(plan.writes[2].value, "b 8:0 rwm", "then linux.devices");
	cgroup_plan_clear(&plan);

	tap_ok(cgroup_plan_build(&res, &v2, NULL, 0, &plan, &err) == 0, "devices on v2");
	tap_ok(plan.has_devices && plan.n_writes == 0, "v2 plans no file writes for devices (BPF program)");
	cgroup_plan_clear(&plan);

	rules[1].access = "rwx";
	build_fails(&res, &v2, "access", "device access letter x");
	rules[1].access = "rw";
	rules[1].type = "z";
	build_fails(&res, &v2, "type", "device type z");
}

int main(void)
{
	test_conversions();
	test_memory();
	test_cpu();
	test_pids_blkio_hugetlb();
	test_network_rdma_unified();
	test_devices();
	return tap_done();
}
