/* linux.resources -> cgroup file writes (see cgroup-plan.h).  Conversions follow runc
 * (libcontainer/cgroups/utils.go, fs/ and fs2/) so that a config means the same files
 * under either runtime. */
#include "config.h"

#include "lib/cgroup-plan.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "lib/util.h"

#define RES "linux.resources"

static const struct {
	const char *v1;
	const char *v2;
} controller_names[CG_CONTROLLER_COUNT] = {
	[CG_CPU] = { "cpu", "cpu" },
	[CG_CPUACCT] = { "cpuacct", NULL },
	[CG_CPUSET] = { "cpuset", "cpuset" },
	[CG_MEMORY] = { "memory", "memory" },
	[CG_PIDS] = { "pids", "pids" },
	[CG_BLKIO] = { "blkio", "io" },
	[CG_HUGETLB] = { "hugetlb", "hugetlb" },
	[CG_NET_CLS] = { "net_cls", NULL },
	[CG_NET_PRIO] = { "net_prio", NULL },
	[CG_RDMA] = { "rdma", "rdma" },
	[CG_MISC] = { "misc", "misc" },
	[CG_DEVICES] = { "devices", NULL },
	[CG_FREEZER] = { "freezer", NULL },
	[CG_CORE] = { NULL, "cgroup" },
};

const char *cgroup_controller_v1_name(enum cgroup_controller c)
{
	return c < CG_CONTROLLER_COUNT ? controller_names[c].v1 : NULL;
}

const char *cgroup_controller_v2_name(enum cgroup_controller c)
{
	return c < CG_CONTROLLER_COUNT ? controller_names[c].v2 : NULL;
}

int cgroup_controller_from_v2_name(const char *name)
{
	for (int c = 0; c < CG_CONTROLLER_COUNT; c++)
		if (controller_names[c].v2 && strcmp(controller_names[c].v2, name) == 0)
			return c;
	return -1;
}

/* ---- conversions ---------------------------------------------------------------- */

uint64_t cgroup_convert_shares_to_weight(uint64_t shares)
{
	if (shares == 0)
		return 0;
	if (shares < 2)
		shares = 2;
	if (shares > 262144)
		shares = 262144;
	return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t cgroup_convert_blkio_weight_to_io_weight(uint64_t weight)
{
	if (weight == 0)
		return 0;
	if (weight < 10)
		weight = 10;
	if (weight > 1000)
		weight = 1000;
	return 1 + (weight - 10) * 9999 / 990;
}

int cgroup_convert_swap_to_v2(int64_t swap, int64_t memory, int64_t *out, struct fy_error **err)
{
	/* v1 compatibility: unlimited memory with swap unset means both unlimited. */
	if (memory == -1 && swap == 0) {
		*out = -1;
		return 0;
	}
	if (swap == -1 || swap == 0) {
		*out = swap;
		return 0;
	}
	if (memory == 0 || memory == -1)
		return fy_error_set(err, 0, RES ".memory.swap: a swap limit needs a memory limit");
	if (memory < 0)
		return fy_error_set(err, 0, RES ".memory.limit: invalid value %" PRId64, memory);
	if (swap < memory)
		return fy_error_set(
		    err, 0, RES ".memory.swap: memory+swap (%" PRId64 ") must be >= the memory limit (%" PRId64 ")",
		    swap, memory);
	*out = swap - memory;
	return 0;
}

int64_t cgroup_parse_page_size(const char *s)
{
	char *end = NULL;
	unsigned long long n;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || n == 0 || end == s)
		return -1;
	if (strcmp(end, "KB") == 0 || strcmp(end, "kB") == 0)
		return (int64_t)n << 10;
	if (strcmp(end, "MB") == 0)
		return (int64_t)n << 20;
	if (strcmp(end, "GB") == 0)
		return (int64_t)n << 30;
	return -1;
}

/* The kernel names hugetlb files by the largest exact unit: 2048KB is "2MB". */
static char *page_size_name(int64_t bytes)
{
	if (bytes % (1LL << 30) == 0)
		return xasprintf("%" PRId64 "GB", bytes >> 30);
	if (bytes % (1LL << 20) == 0)
		return xasprintf("%" PRId64 "MB", bytes >> 20);
	return xasprintf("%" PRId64 "KB", bytes >> 10);
}

int cgroup_unified_key_check(const char *key, enum cgroup_controller *controller, struct fy_error **err)
{
	const char *dot;
	int c;

	if (key == NULL || *key == '\0')
		return fy_error_set(err, 0, RES ".unified: empty key");
	if (strchr(key, '/') || strcmp(key, ".") == 0 || strcmp(key, "..") == 0)
		return fy_error_set(err, 0, RES ".unified[\"%s\"]: not a file in the container's cgroup directory",
				    key);
	dot = strchr(key, '.');
	if (dot == NULL || dot == key || dot[1] == '\0')
		return fy_error_set(err, 0, RES ".unified[\"%s\"]: expected \"<controller>.<file>\"", key);
	_cleanup_free_ char *name = xstrndup(key, (size_t)(dot - key));
	c = cgroup_controller_from_v2_name(name);
	/* A controller this runtime does not know is still written (config-linux.md
	 * "Unified"): if the kernel lacks it, the write fails and names the file. */
	*controller = c < 0 ? CG_CORE : (enum cgroup_controller)c;
	return 0;
}

char *cgroup_device_rule_v1(const struct cgroup_device_rule *rule)
{
	char major[24] = "*", minor[24] = "*", access[4];
	size_t n = 0;

	if (rule->major >= 0)
		snprintf(major, sizeof(major), "%" PRId64, rule->major);
	if (rule->minor >= 0)
		snprintf(minor, sizeof(minor), "%" PRId64, rule->minor);
	if (rule->access & CG_DEV_READ)
		access[n++] = 'r';
	if (rule->access & CG_DEV_WRITE)
		access[n++] = 'w';
	if (rule->access & CG_DEV_MKNOD)
		access[n++] = 'm';
	access[n] = '\0';
	return xasprintf("%c %s:%s %s", rule->type, major, minor, access);
}

/* ---- plan building --------------------------------------------------------------- */

struct planner {
	const struct cgroup_placement *placement;
	struct cgroup_plan *plan;
};

__attribute__((format(printf, 6, 7))) static void add(struct planner *p, enum cgroup_controller c, unsigned flags,
						      const char *resource, const char *file, const char *fmt, ...)
{
	struct cgroup_plan *plan = p->plan;
	struct cgroup_write *w;
	va_list ap;
	char *value = NULL;

	va_start(ap, fmt);
	if (vasprintf(&value, fmt, ap) < 0)
		abort();
	va_end(ap);
	plan->writes = xrealloc(plan->writes, (plan->n_writes + 1) * sizeof(*plan->writes));
	w = &plan->writes[plan->n_writes++];
	*w = (struct cgroup_write){
		.controller = c,
		.version = p->placement->where[c],
		.file = xstrdup(file),
		.value = value,
		.resource = xstrdup(resource),
		.flags = flags,
	};
}

static int need(struct planner *p, enum cgroup_controller c, const char *resource, struct fy_error **err)
{
	if (p->placement->where[c] != CG_ABSENT)
		return 0;
	return fy_error_set(err, 0, "%s: the %s controller is not available on this host", resource,
			    cgroup_controller_v1_name(c) ? cgroup_controller_v1_name(c) : cgroup_controller_v2_name(c));
}

static bool v2(const struct planner *p, enum cgroup_controller c)
{
	return p->placement->where[c] == CG_V2;
}

static void ignored_on_v2(const char *resource)
{
	fy_warn("%s: not supported on cgroup v2, ignored", resource);
}

static int plan_memory_v2(struct planner *p, const struct spec_memory *m, struct fy_error **err)
{
	if (m->has_limit) {
		if (m->limit < 0)
			add(p, CG_MEMORY, 0, RES ".memory.limit", "memory.max", "max");
		else
			add(p, CG_MEMORY, 0, RES ".memory.limit", "memory.max", "%" PRId64, m->limit);
	}
	if (m->has_swap) {
		int64_t swap;
		if (cgroup_convert_swap_to_v2(m->swap, m->has_limit ? m->limit : 0, &swap, err) < 0)
			return -1;
		if (swap < 0)
			add(p, CG_MEMORY, 0, RES ".memory.swap", "memory.swap.max", "max");
		else if (swap > 0 || m->swap != 0)
			add(p, CG_MEMORY, 0, RES ".memory.swap", "memory.swap.max", "%" PRId64, swap);
	}
	if (m->has_reservation) {
		if (m->reservation < 0)
			add(p, CG_MEMORY, 0, RES ".memory.reservation", "memory.low", "max");
		else
			add(p, CG_MEMORY, 0, RES ".memory.reservation", "memory.low", "%" PRId64, m->reservation);
	}
	if (m->has_kernel)
		ignored_on_v2(RES ".memory.kernel");
	if (m->has_kernel_tcp)
		ignored_on_v2(RES ".memory.kernelTCP");
	if (m->has_swappiness)
		ignored_on_v2(RES ".memory.swappiness");
	if (m->has_disable_oom_killer && m->disable_oom_killer)
		ignored_on_v2(RES ".memory.disableOOMKiller");
	if (m->has_use_hierarchy && !m->use_hierarchy)
		fy_warn(RES ".memory.useHierarchy: cgroup v2 is always hierarchical, ignored");
	return 0;
}

static int plan_memory(struct planner *p, const struct spec_memory *m, struct fy_error **err)
{
	if (need(p, CG_MEMORY, RES ".memory", err) < 0)
		return -1;
	if (m->has_swappiness && m->swappiness > 100)
		return fy_error_set(err, 0, RES ".memory.swappiness: %" PRIu64 " is not in [0, 100]", m->swappiness);
	if (v2(p, CG_MEMORY))
		return plan_memory_v2(p, m, err);
	/* memory.limit before memory.memsw: the kernel wants memsw >= limit at every step;
	 * the v1 backend swaps the two when raising both (see cgroup-v1.c). */
	if (m->has_limit)
		add(p, CG_MEMORY, 0, RES ".memory.limit", "memory.limit_in_bytes", "%" PRId64, m->limit);
	if (m->has_swap)
		add(p, CG_MEMORY, 0, RES ".memory.swap", "memory.memsw.limit_in_bytes", "%" PRId64, m->swap);
	if (m->has_reservation)
		add(p, CG_MEMORY, 0, RES ".memory.reservation", "memory.soft_limit_in_bytes", "%" PRId64,
		    m->reservation);
	/* Kernel memory limits were removed from newer kernels (5.16 / 6.1). */
	if (m->has_kernel)
		add(p, CG_MEMORY, CG_WRITE_OPTIONAL, RES ".memory.kernel", "memory.kmem.limit_in_bytes", "%" PRId64,
		    m->kernel);
	if (m->has_kernel_tcp)
		add(p, CG_MEMORY, CG_WRITE_OPTIONAL, RES ".memory.kernelTCP", "memory.kmem.tcp.limit_in_bytes",
		    "%" PRId64, m->kernel_tcp);
	if (m->has_swappiness)
		add(p, CG_MEMORY, 0, RES ".memory.swappiness", "memory.swappiness", "%" PRIu64, m->swappiness);
	if (m->has_disable_oom_killer)
		add(p, CG_MEMORY, 0, RES ".memory.disableOOMKiller", "memory.oom_control", "%d",
		    m->disable_oom_killer ? 1 : 0);
	if (m->has_use_hierarchy)
		add(p, CG_MEMORY, 0, RES ".memory.useHierarchy", "memory.use_hierarchy", "%d",
		    m->use_hierarchy ? 1 : 0);
	return 0;
}

static int plan_cpu_v2(struct planner *p, const struct spec_cpu *c, struct fy_error **err)
{
	if (c->has_shares && c->shares)
		add(p, CG_CPU, 0, RES ".cpu.shares", "cpu.weight", "%" PRIu64,
		    cgroup_convert_shares_to_weight(c->shares));
	/* cpu.max: "$MAX $PERIOD"; a lone $MAX keeps the period (cgroup-v2.rst). */
	if (c->has_quota && c->quota > 0 && c->has_period && c->period)
		add(p, CG_CPU, 0, RES ".cpu.quota", "cpu.max", "%" PRId64 " %" PRIu64, c->quota, c->period);
	else if (c->has_quota && c->has_period && c->period)
		add(p, CG_CPU, 0, RES ".cpu.quota", "cpu.max", "max %" PRIu64, c->period);
	else if (c->has_quota && c->quota > 0)
		add(p, CG_CPU, 0, RES ".cpu.quota", "cpu.max", "%" PRId64, c->quota);
	else if (c->has_quota)
		add(p, CG_CPU, 0, RES ".cpu.quota", "cpu.max", "max");
	else if (c->has_period && c->period)
		add(p, CG_CPU, 0, RES ".cpu.period", "cpu.max", "max %" PRIu64, c->period);
	if (c->has_burst)
		add(p, CG_CPU, 0, RES ".cpu.burst", "cpu.max.burst", "%" PRIu64, c->burst);
	if ((c->has_realtime_runtime && c->realtime_runtime) || (c->has_realtime_period && c->realtime_period))
		return fy_error_set(err, 0,
				    RES ".cpu.realtimeRuntime: realtime scheduling is not supported on cgroup v2");
	if (c->has_idle)
		add(p, CG_CPU, 0, RES ".cpu.idle", "cpu.idle", "%" PRId64, c->idle);
	return 0;
}

static int plan_cpu(struct planner *p, const struct spec_cpu *c, struct fy_error **err)
{
	bool any_cpu = c->has_shares || c->has_quota || c->has_period || c->has_burst || c->has_realtime_runtime ||
		       c->has_realtime_period || c->has_idle;

	if (any_cpu) {
		if (need(p, CG_CPU, RES ".cpu", err) < 0)
			return -1;
		if (v2(p, CG_CPU)) {
			if (plan_cpu_v2(p, c, err) < 0)
				return -1;
		} else {
			if (c->has_shares && c->shares)
				add(p, CG_CPU, 0, RES ".cpu.shares", "cpu.shares", "%" PRIu64, c->shares);
			/* Period first: a quota is checked against the period in force. */
			if (c->has_period && c->period)
				add(p, CG_CPU, 0, RES ".cpu.period", "cpu.cfs_period_us", "%" PRIu64, c->period);
			if (c->has_quota)
				add(p, CG_CPU, 0, RES ".cpu.quota", "cpu.cfs_quota_us", "%" PRId64,
				    c->quota > 0 ? c->quota : -1);
			if (c->has_burst)
				add(p, CG_CPU, 0, RES ".cpu.burst", "cpu.cfs_burst_us", "%" PRIu64, c->burst);
			if (c->has_realtime_period && c->realtime_period)
				add(p, CG_CPU, 0, RES ".cpu.realtimePeriod", "cpu.rt_period_us", "%" PRIu64,
				    c->realtime_period);
			if (c->has_realtime_runtime)
				add(p, CG_CPU, 0, RES ".cpu.realtimeRuntime", "cpu.rt_runtime_us", "%" PRId64,
				    c->realtime_runtime);
			if (c->has_idle)
				add(p, CG_CPU, 0, RES ".cpu.idle", "cpu.idle", "%" PRId64, c->idle);
		}
	}
	if (c->cpus || c->mems) {
		if (need(p, CG_CPUSET, RES ".cpu.cpus", err) < 0)
			return -1;
		if (c->cpus && *c->cpus)
			add(p, CG_CPUSET, 0, RES ".cpu.cpus", "cpuset.cpus", "%s", c->cpus);
		if (c->mems && *c->mems)
			add(p, CG_CPUSET, 0, RES ".cpu.mems", "cpuset.mems", "%s", c->mems);
	}
	return 0;
}

static void plan_throttle(struct planner *p, const char *resource, const char *v1_file, const char *v2_key,
			  const struct spec_throttle_device *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!v2(p, CG_BLKIO))
			add(p, CG_BLKIO, 0, resource, v1_file, "%" PRId64 ":%" PRId64 " %" PRIu64, t[i].major,
			    t[i].minor, t[i].rate);
		else if (t[i].rate == 0)
			add(p, CG_BLKIO, 0, resource, "io.max", "%" PRId64 ":%" PRId64 " %s=max", t[i].major,
			    t[i].minor, v2_key);
		else
			add(p, CG_BLKIO, 0, resource, "io.max", "%" PRId64 ":%" PRId64 " %s=%" PRIu64, t[i].major,
			    t[i].minor, v2_key, t[i].rate);
	}
}

static int plan_block_io(struct planner *p, const struct spec_block_io *b, struct fy_error **err)
{
	if (need(p, CG_BLKIO, RES ".blockIO", err) < 0)
		return -1;
	if (v2(p, CG_BLKIO)) {
		if (b->has_weight && b->weight)
			add(p, CG_BLKIO, 0, RES ".blockIO.weight", "io.weight", "default %" PRIu64,
			    cgroup_convert_blkio_weight_to_io_weight(b->weight));
		if (b->has_leaf_weight)
			ignored_on_v2(RES ".blockIO.leafWeight");
		for (size_t i = 0; i < b->n_weight_device; i++) {
			const struct spec_weight_device *d = &b->weight_device[i];
			if (d->has_weight)
				add(p, CG_BLKIO, 0, RES ".blockIO.weightDevice", "io.weight",
				    "%" PRId64 ":%" PRId64 " %" PRIu64, d->major, d->minor,
				    cgroup_convert_blkio_weight_to_io_weight(d->weight));
			if (d->has_leaf_weight)
				ignored_on_v2(RES ".blockIO.weightDevice.leafWeight");
		}
	} else {
		if (b->has_weight && b->weight)
			add(p, CG_BLKIO, 0, RES ".blockIO.weight", "blkio.weight", "%u", b->weight);
		if (b->has_leaf_weight && b->leaf_weight)
			add(p, CG_BLKIO, 0, RES ".blockIO.leafWeight", "blkio.leaf_weight", "%u", b->leaf_weight);
		for (size_t i = 0; i < b->n_weight_device; i++) {
			const struct spec_weight_device *d = &b->weight_device[i];
			if (d->has_weight)
				add(p, CG_BLKIO, 0, RES ".blockIO.weightDevice", "blkio.weight_device",
				    "%" PRId64 ":%" PRId64 " %u", d->major, d->minor, d->weight);
			if (d->has_leaf_weight)
				add(p, CG_BLKIO, 0, RES ".blockIO.weightDevice.leafWeight", "blkio.leaf_weight_device",
				    "%" PRId64 ":%" PRId64 " %u", d->major, d->minor, d->leaf_weight);
		}
	}
	plan_throttle(p, RES ".blockIO.throttleReadBpsDevice", "blkio.throttle.read_bps_device", "rbps",
		      b->throttle_read_bps_device, b->n_throttle_read_bps_device);
	plan_throttle(p, RES ".blockIO.throttleWriteBpsDevice", "blkio.throttle.write_bps_device", "wbps",
		      b->throttle_write_bps_device, b->n_throttle_write_bps_device);
	plan_throttle(p, RES ".blockIO.throttleReadIOPSDevice", "blkio.throttle.read_iops_device", "riops",
		      b->throttle_read_iops_device, b->n_throttle_read_iops_device);
	plan_throttle(p, RES ".blockIO.throttleWriteIOPSDevice", "blkio.throttle.write_iops_device", "wiops",
		      b->throttle_write_iops_device, b->n_throttle_write_iops_device);
	return 0;
}

static int plan_hugetlb(struct planner *p, const struct spec_hugepage_limit *h, size_t n, struct fy_error **err)
{
	if (n && need(p, CG_HUGETLB, RES ".hugepageLimits", err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int64_t bytes = cgroup_parse_page_size(h[i].page_size);
		if (bytes <= 0 || bytes % 1024)
			return fy_error_set(
			    err, 0, RES ".hugepageLimits[%zu].pageSize: expected a size like \"2MB\", got \"%s\"", i,
			    h[i].page_size ? h[i].page_size : "");
		_cleanup_free_ char *size = page_size_name(bytes);
		_cleanup_free_ char *limit =
		    xasprintf("hugetlb.%s.%s", size, v2(p, CG_HUGETLB) ? "max" : "limit_in_bytes");
		/* rsvd (5.7+) also caps reservations, so a mmap fails up front instead of a
		 * SIGBUS at fault time; older kernels do not have it. */
		_cleanup_free_ char *rsvd =
		    xasprintf("hugetlb.%s.rsvd.%s", size, v2(p, CG_HUGETLB) ? "max" : "limit_in_bytes");
		add(p, CG_HUGETLB, 0, RES ".hugepageLimits", limit, "%" PRIu64, h[i].limit);
		add(p, CG_HUGETLB, CG_WRITE_OPTIONAL, RES ".hugepageLimits", rsvd, "%" PRIu64, h[i].limit);
	}
	return 0;
}

static int plan_network(struct planner *p, const struct spec_network_resources *net, struct fy_error **err)
{
	if (net->has_class_id) {
		if (p->placement->where[CG_NET_CLS] == CG_ABSENT)
			return fy_error_set(
			    err, 0, RES ".network.classID: the net_cls controller is not available on this host%s",
			    p->placement->where[CG_MEMORY] == CG_V2 ? " (it does not exist on cgroup v2)" : "");
		add(p, CG_NET_CLS, 0, RES ".network.classID", "net_cls.classid", "%" PRIu32, net->class_id);
	}
	if (net->n_priorities) {
		if (p->placement->where[CG_NET_PRIO] == CG_ABSENT)
			return fy_error_set(
			    err, 0, RES ".network.priorities: the net_prio controller is not available on this host%s",
			    p->placement->where[CG_MEMORY] == CG_V2 ? " (it does not exist on cgroup v2)" : "");
		for (size_t i = 0; i < net->n_priorities; i++)
			add(p, CG_NET_PRIO, 0, RES ".network.priorities", "net_prio.ifpriomap", "%s %" PRIu32,
			    net->priorities[i].name, net->priorities[i].priority);
	}
	return 0;
}

static int plan_rdma(struct planner *p, const struct spec_rdma_limit *r, size_t n, struct fy_error **err)
{
	if (n && need(p, CG_RDMA, RES ".rdma", err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char handles[32] = "", objects[32] = "";
		if (!r[i].device || !*r[i].device || strpbrk(r[i].device, " \n"))
			return fy_error_set(err, 0, RES ".rdma: invalid device name \"%s\"",
					    r[i].device ? r[i].device : "");
		if (!r[i].has_hca_handles && !r[i].has_hca_objects)
			continue;
		if (r[i].has_hca_handles)
			snprintf(handles, sizeof(handles), " hca_handle=%" PRIu32, r[i].hca_handles);
		if (r[i].has_hca_objects)
			snprintf(objects, sizeof(objects), " hca_object=%" PRIu32, r[i].hca_objects);
		add(p, CG_RDMA, 0, RES ".rdma", "rdma.max", "%s%s%s", r[i].device, handles, objects);
	}
	return 0;
}

static int plan_unified(struct planner *p, const struct spec_kv *kv, size_t n, struct fy_error **err)
{
	for (size_t i = 0; i < n; i++) {
		enum cgroup_controller c;
		if (cgroup_unified_key_check(kv[i].key, &c, err) < 0)
			return -1;
		_cleanup_free_ char *resource = xasprintf(RES ".unified[\"%s\"]", kv[i].key);
		if (p->placement->where[CG_CORE] != CG_V2)
			return fy_error_set(err, 0, "%s: this host has no cgroup v2 hierarchy", resource);
		if (p->placement->where[c] != CG_V2)
			return fy_error_set(err, 0, "%s: the %s controller is not available on the cgroup v2 hierarchy",
					    resource,
					    cgroup_controller_v2_name(c) ? cgroup_controller_v2_name(c) : "?");
		add(p, c, 0, resource, kv[i].key, "%s", kv[i].value ? kv[i].value : "");
	}
	return 0;
}

static void add_device_rule(struct cgroup_plan *plan, bool allow, char type, int64_t major, int64_t minor,
			    unsigned access)
{
	plan->devices = xrealloc(plan->devices, (plan->n_devices + 1) * sizeof(*plan->devices));
	plan->devices[plan->n_devices++] = (struct cgroup_device_rule){ allow, type, major, minor, access };
}

static int parse_access(const char *s, unsigned *out)
{
	*out = 0;
	if (s == NULL || *s == '\0') {
		*out = CG_DEV_ALL;
		return 0;
	}
	for (; *s; s++) {
		switch (*s) {
		case 'r': *out |= CG_DEV_READ; break;
		case 'w': *out |= CG_DEV_WRITE; break;
		case 'm': *out |= CG_DEV_MKNOD; break;
		default: return -1;
		}
	}
	return 0;
}

static int plan_devices(struct planner *p, const struct spec_resources *res, const struct spec_device *extra,
			size_t n_extra, struct fy_error **err)
{
	/* runc's AllowedDevices: what every container may use whatever its rules say. */
	static const struct cgroup_device_rule defaults[] = {
		{ true, 'c', -1, -1, CG_DEV_MKNOD }, { true, 'b', -1, -1, CG_DEV_MKNOD },
		{ true, 'c', 1, 3, CG_DEV_ALL },     { true, 'c', 1, 8, CG_DEV_ALL },
		{ true, 'c', 1, 7, CG_DEV_ALL },     { true, 'c', 5, 0, CG_DEV_ALL },
		{ true, 'c', 1, 5, CG_DEV_ALL },     { true, 'c', 1, 9, CG_DEV_ALL },
		{ true, 'c', 136, -1, CG_DEV_ALL },  { true, 'c', 5, 2, CG_DEV_ALL },
		{ true, 'c', 5, 1, CG_DEV_ALL },
	};
	struct cgroup_plan *plan = p->plan;

	if (res->n_devices == 0)
		return 0;
	if (need(p, CG_DEVICES, RES ".devices", err) < 0)
		return -1;
	plan->has_devices = true;
	for (size_t i = 0; i < res->n_devices; i++) {
		const struct spec_device_cgroup *d = &res->devices[i];
		char type = d->type && *d->type ? d->type[0] : 'a';
		unsigned access;
		if ((d->type && strlen(d->type) > 1) || (type != 'a' && type != 'b' && type != 'c'))
			return fy_error_set(
			    err, 0, RES ".devices[%zu].type: expected \"a\", \"b\" or \"c\", got \"%s\"", i, d->type);
		if (parse_access(d->access, &access) < 0)
			return fy_error_set(err, 0, RES ".devices[%zu].access: expected letters of \"rwm\", got \"%s\"",
					    i, d->access);
		if ((d->has_major && d->major < -1) || (d->has_minor && d->minor < -1))
			return fy_error_set(err, 0, RES ".devices[%zu]: negative major or minor", i);
		add_device_rule(plan, d->allow, type, d->has_major ? d->major : -1, d->has_minor ? d->minor : -1,
				access);
	}
	for (size_t i = 0; i < n_extra; i++) {
		const struct spec_device *d = &extra[i];
		if (!d->type || !d->has_major || !d->has_minor || d->type[0] == 'p')
			continue;
		add_device_rule(plan, true, d->type[0] == 'b' ? 'b' : 'c', d->major, d->minor, CG_DEV_ALL);
	}
	for (size_t i = 0; i < ARRAY_SIZE(defaults); i++)
		add_device_rule(plan, defaults[i].allow, defaults[i].type, defaults[i].major, defaults[i].minor,
				defaults[i].access);
	if (p->placement->where[CG_DEVICES] == CG_V1) {
		for (size_t i = 0; i < plan->n_devices; i++) {
			_cleanup_free_ char *line = cgroup_device_rule_v1(&plan->devices[i]);
			add(p, CG_DEVICES, 0, RES ".devices", plan->devices[i].allow ? "devices.allow" : "devices.deny",
			    "%s", line);
		}
	}
	return 0;
}

int cgroup_plan_build(const struct spec_resources *res, const struct cgroup_placement *placement,
		      const struct spec_device *extra_devices, size_t n_extra_devices, struct cgroup_plan *plan,
		      struct fy_error **err)
{
	struct planner p = { placement, plan };
	int r = 0;

	*plan = (struct cgroup_plan){ 0 };
	if (res == NULL)
		return 0;
	if (res->memory)
		r = plan_memory(&p, res->memory, err);
	if (r == 0 && res->cpu)
		r = plan_cpu(&p, res->cpu, err);
	if (r == 0 && res->pids && res->pids->has_limit && res->pids->limit != 0) {
		r = need(&p, CG_PIDS, RES ".pids", err);
		if (r == 0 && res->pids->limit > 0)
			add(&p, CG_PIDS, 0, RES ".pids.limit", "pids.max", "%" PRId64, res->pids->limit);
		else if (r == 0)
			add(&p, CG_PIDS, 0, RES ".pids.limit", "pids.max", "max");
	}
	if (r == 0 && res->block_io)
		r = plan_block_io(&p, res->block_io, err);
	if (r == 0)
		r = plan_hugetlb(&p, res->hugepage_limits, res->n_hugepage_limits, err);
	if (r == 0 && res->network)
		r = plan_network(&p, res->network, err);
	if (r == 0)
		r = plan_rdma(&p, res->rdma, res->n_rdma, err);
	if (r == 0)
		r = plan_devices(&p, res, extra_devices, n_extra_devices, err);
	/* Last, so that an explicit unified value overrides a converted one. */
	if (r == 0)
		r = plan_unified(&p, res->unified, res->n_unified, err);
	if (r < 0)
		cgroup_plan_clear(plan);
	return r;
}

void cgroup_plan_clear(struct cgroup_plan *plan)
{
	for (size_t i = 0; i < plan->n_writes; i++) {
		free(plan->writes[i].file);
		free(plan->writes[i].value);
		free(plan->writes[i].resource);
	}
	free(plan->writes);
	free(plan->devices);
	*plan = (struct cgroup_plan){ 0 };
}
