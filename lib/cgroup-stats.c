/* Container statistics in the shape of runc's `events --stats` "data" object (runc's
 * types/events.go, not libcontainer's stats.go: "throttledPeriods", zero counters left
 * out as Go's omitempty does): cpu, cpuset, memory, pids, blkio, hugetlb.  Each controller is read in the format of the hierarchy it is
 * on, so hybrid hosts report v1 memory next to v2 hugetlb. */
#include "config.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yajl/yajl_gen.h>

#include "lib/cgroup-internal.h"
#include "lib/error.h"
#include "lib/util.h"

static void gen_str(yajl_gen g, const char *s)
{
	yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

/* uint64 values (a "max" limit is 2^64-1, as runc prints it) exceed long long. */
static void gen_u64(yajl_gen g, const char *key, uint64_t v)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%" PRIu64, v);
	gen_str(g, key);
	yajl_gen_number(g, buf, (size_t)n);
}

/* Go's `json:",omitempty"`: runc leaves zero counters out of its events. */
static void gen_u64_nz(yajl_gen g, const char *key, uint64_t v)
{
	if (v)
		gen_u64(g, key, v);
}

static uint64_t u64(const char *dir, const char *file)
{
	uint64_t v = 0;
	if (dir == NULL || cgroup_fs_read_u64(dir, file, &v) < 0)
		return 0;
	return v;
}

static uint64_t keyed(const char *dir, const char *file, const char *key)
{
	uint64_t v = 0;
	if (dir == NULL || cgroup_fs_read_keyed(dir, file, key, &v) < 0)
		return 0;
	return v;
}

static void gen_percpu(yajl_gen g, const char *key, const char *dir, const char *file)
{
	_cleanup_free_ char *s = dir ? cgroup_fs_read(dir, file) : NULL;

	if (s == NULL || *s == '\0')
		return;
	gen_str(g, key);
	yajl_gen_array_open(g);
	for (char *save = NULL, *tok = strtok_r(s, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
		yajl_gen_number(g, tok, strlen(tok));
	yajl_gen_array_close(g);
}

static void gen_cpu(yajl_gen g, const struct fy_cgroup *cg)
{
	const char *cpu = cg->dirs[CG_CPU];
	bool v2 = cg->placement.where[CG_CPU] == CG_V2;

	gen_str(g, "cpu");
	yajl_gen_map_open(g);
	gen_str(g, "usage");
	yajl_gen_map_open(g);
	if (v2) {
		gen_u64_nz(g, "total", keyed(cpu, "cpu.stat", "usage_usec") * 1000);
		gen_u64(g, "kernel", keyed(cpu, "cpu.stat", "system_usec") * 1000);
		gen_u64(g, "user", keyed(cpu, "cpu.stat", "user_usec") * 1000);
	} else {
		const char *acct = cg->dirs[CG_CPUACCT];
		long hz = sysconf(_SC_CLK_TCK);
		uint64_t ns_per_tick = hz > 0 ? 1000000000ULL / (uint64_t)hz : 10000000ULL;
		gen_u64_nz(g, "total", u64(acct, "cpuacct.usage"));
		gen_percpu(g, "percpu", acct, "cpuacct.usage_percpu");
		gen_percpu(g, "percpu_kernel", acct, "cpuacct.usage_percpu_sys");
		gen_percpu(g, "percpu_user", acct, "cpuacct.usage_percpu_user");
		gen_u64(g, "kernel", keyed(acct, "cpuacct.stat", "system") * ns_per_tick);
		gen_u64(g, "user", keyed(acct, "cpuacct.stat", "user") * ns_per_tick);
	}
	yajl_gen_map_close(g);
	gen_str(g, "throttling");
	yajl_gen_map_open(g);
	gen_u64_nz(g, "periods", keyed(cpu, "cpu.stat", "nr_periods"));
	gen_u64_nz(g, "throttledPeriods", keyed(cpu, "cpu.stat", "nr_throttled"));
	gen_u64_nz(g, "throttledTime",
		   v2 ? keyed(cpu, "cpu.stat", "throttled_usec") * 1000 : keyed(cpu, "cpu.stat", "throttled_time"));
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
}

/* "0-2,5" -> [0,1,2,5] */
static void gen_list(yajl_gen g, const char *key, const char *dir, const char *file, const char *fallback)
{
	_cleanup_free_ char *s = cgroup_fs_read(dir, file);

	if (s == NULL || *s == '\0') {
		free(s);
		s = cgroup_fs_read(dir, fallback);
	}
	gen_str(g, key);
	yajl_gen_array_open(g);
	for (char *save = NULL, *tok = s ? strtok_r(s, ",\n", &save) : NULL; tok; tok = strtok_r(NULL, ",\n", &save)) {
		unsigned long a, b;
		int n = sscanf(tok, "%lu-%lu", &a, &b);
		if (n < 1)
			continue;
		if (n == 1)
			b = a;
		for (unsigned long i = a; i <= b && i - a < 65536; i++) {
			char buf[24];
			int len = snprintf(buf, sizeof(buf), "%lu", i);
			yajl_gen_number(g, buf, (size_t)len);
		}
	}
	yajl_gen_array_close(g);
}

static void gen_cpuset(yajl_gen g, const struct fy_cgroup *cg)
{
	static const char *const v1_flags[] = { "cpu_exclusive",   "mem_hardwall",       "mem_exclusive",
						"memory_migrate",  "memory_spread_page", "memory_spread_slab",
						"memory_pressure", "sched_load_balance", "sched_relax_domain_level" };
	const char *c = cg->dirs[CG_CPUSET];

	if (c == NULL)
		return;
	gen_str(g, "cpuset");
	yajl_gen_map_open(g);
	if (cg->placement.where[CG_CPUSET] == CG_V2) {
		gen_list(g, "cpus", c, "cpuset.cpus.effective", "cpuset.cpus");
		gen_list(g, "mems", c, "cpuset.mems.effective", "cpuset.mems");
	} else {
		gen_list(g, "cpus", c, "cpuset.cpus", "cpuset.effective_cpus");
		gen_list(g, "mems", c, "cpuset.mems", "cpuset.effective_mems");
		for (size_t i = 0; i < ARRAY_SIZE(v1_flags); i++) {
			_cleanup_free_ char *file = xasprintf("cpuset.%s", v1_flags[i]);
			_cleanup_free_ char *v = cgroup_fs_read(c, file);
			gen_str(g, v1_flags[i]);
			if (v && *v)
				yajl_gen_number(g, v, strlen(v));
			else
				yajl_gen_integer(g, 0);
		}
	}
	yajl_gen_map_close(g);
}

static void gen_memory_entry(yajl_gen g, const char *key, uint64_t limit, uint64_t usage, uint64_t max,
			     uint64_t failcnt)
{
	gen_str(g, key);
	yajl_gen_map_open(g);
	gen_u64(g, "limit", limit);
	gen_u64_nz(g, "usage", usage);
	gen_u64_nz(g, "max", max);
	gen_u64(g, "failcnt", failcnt);
	yajl_gen_map_close(g);
}

static void gen_v1_memory_entry(yajl_gen g, const char *key, const char *dir, const char *prefix)
{
	_cleanup_free_ char *limit = xasprintf("%s.limit_in_bytes", prefix);
	_cleanup_free_ char *usage = xasprintf("%s.usage_in_bytes", prefix);
	_cleanup_free_ char *max = xasprintf("%s.max_usage_in_bytes", prefix);
	_cleanup_free_ char *failcnt = xasprintf("%s.failcnt", prefix);

	gen_memory_entry(g, key, u64(dir, limit), u64(dir, usage), u64(dir, max), u64(dir, failcnt));
}

static void gen_raw(yajl_gen g, const char *dir, const char *file)
{
	_cleanup_free_ char *s = dir ? cgroup_fs_read(dir, file) : NULL;

	gen_str(g, "raw");
	yajl_gen_map_open(g);
	for (char *line = s; line && *line;) {
		char *nl = strchrnul(line, '\n'), saved = *nl, *sp;
		*nl = '\0';
		sp = strchr(line, ' ');
		if (sp) {
			*sp = '\0';
			gen_str(g, line);
			yajl_gen_number(g, sp + 1, strlen(sp + 1));
		}
		line = saved ? nl + 1 : nl;
	}
	yajl_gen_map_close(g);
}

static void gen_memory(yajl_gen g, const struct fy_cgroup *cg)
{
	const char *m = cg->dirs[CG_MEMORY];

	gen_str(g, "memory");
	yajl_gen_map_open(g);
	if (cg->placement.where[CG_MEMORY] == CG_V2) {
		uint64_t usage = u64(m, "memory.current"), swap = u64(m, "memory.swap.current");
		uint64_t limit = u64(m, "memory.max"), swap_limit = u64(m, "memory.swap.max");
		gen_u64_nz(g, "cache", keyed(m, "memory.stat", "file"));
		gen_memory_entry(g, "usage", limit, usage, u64(m, "memory.peak"), keyed(m, "memory.events", "max"));
		/* runc reports v2 swap as memory+swap, the v1 memsw meaning. */
		gen_memory_entry(g, "swap",
				 swap_limit == UINT64_MAX || limit == UINT64_MAX ? UINT64_MAX : swap_limit + limit,
				 usage + swap, 0, 0);
		gen_raw(g, m, "memory.stat");
	} else {
		gen_u64_nz(g, "cache", keyed(m, "memory.stat", "cache"));
		gen_v1_memory_entry(g, "usage", m, "memory");
		gen_v1_memory_entry(g, "swap", m, "memory.memsw");
		gen_v1_memory_entry(g, "kernel", m, "memory.kmem");
		gen_v1_memory_entry(g, "kernelTCP", m, "memory.kmem.tcp");
		gen_raw(g, m, "memory.stat");
	}
	yajl_gen_map_close(g);
}

static void gen_pids(yajl_gen g, const struct fy_cgroup *cg)
{
	const char *p = cg->dirs[CG_PIDS];
	uint64_t limit = u64(p, "pids.max");

	gen_str(g, "pids");
	yajl_gen_map_open(g);
	gen_u64_nz(g, "current", u64(p, "pids.current"));
	gen_u64_nz(g, "limit", limit == UINT64_MAX ? 0 : limit); /* runc: 0 is "max" */
	yajl_gen_map_close(g);
}

static void gen_blkio_entry(yajl_gen g, unsigned major, unsigned minor, const char *op, uint64_t value)
{
	yajl_gen_map_open(g);
	gen_u64(g, "major", major);
	gen_u64(g, "minor", minor);
	gen_str(g, "op");
	gen_str(g, op);
	gen_u64(g, "value", value);
	yajl_gen_map_close(g);
}

/* v1 "8:0 Read 4096" lines. */
static void gen_blkio_v1(yajl_gen g, const char *key, const char *dir, const char *file)
{
	_cleanup_free_ char *s = dir ? cgroup_fs_read(dir, file) : NULL;

	if (s == NULL || strchr(s, ':') == NULL)
		return; /* omitempty */
	gen_str(g, key);
	yajl_gen_array_open(g);
	for (char *line = s; line && *line;) {
		char *nl = strchrnul(line, '\n'), saved = *nl, op[16];
		unsigned major, minor;
		unsigned long long value;
		*nl = '\0';
		if (sscanf(line, "%u:%u %15s %llu", &major, &minor, op, &value) == 4)
			gen_blkio_entry(g, major, minor, op, value);
		line = saved ? nl + 1 : nl;
	}
	yajl_gen_array_close(g);
}

/* v2 io.stat "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0" lines. */
static void gen_blkio_v2(yajl_gen g, const char *key, const char *dir, const char *rkey, const char *wkey)
{
	_cleanup_free_ char *s = dir ? cgroup_fs_read(dir, "io.stat") : NULL;

	if (s == NULL || strchr(s, ':') == NULL)
		return; /* omitempty */
	gen_str(g, key);
	yajl_gen_array_open(g);
	for (char *line = s; line && *line;) {
		char *nl = strchrnul(line, '\n'), saved = *nl;
		unsigned major, minor;
		*nl = '\0';
		if (sscanf(line, "%u:%u", &major, &minor) == 2) {
			uint64_t r = 0, w = 0;
			for (char *save = NULL, *tok = strtok_r(line, " ", &save); tok;
			     tok = strtok_r(NULL, " ", &save)) {
				char *eq = strchr(tok, '=');
				if (eq && strncmp(tok, rkey, (size_t)(eq - tok)) == 0 && rkey[eq - tok] == '\0')
					r = strtoull(eq + 1, NULL, 10);
				else if (eq && strncmp(tok, wkey, (size_t)(eq - tok)) == 0 && wkey[eq - tok] == '\0')
					w = strtoull(eq + 1, NULL, 10);
			}
			gen_blkio_entry(g, major, minor, "Read", r);
			gen_blkio_entry(g, major, minor, "Write", w);
			gen_blkio_entry(g, major, minor, "Total", r + w);
		}
		line = saved ? nl + 1 : nl;
	}
	yajl_gen_array_close(g);
}

static void gen_blkio(yajl_gen g, const struct fy_cgroup *cg)
{
	const char *b = cg->dirs[CG_BLKIO];

	gen_str(g, "blkio");
	yajl_gen_map_open(g);
	if (cg->placement.where[CG_BLKIO] == CG_V2) {
		gen_blkio_v2(g, "ioServiceBytesRecursive", b, "rbytes", "wbytes");
		gen_blkio_v2(g, "ioServicedRecursive", b, "rios", "wios");
	} else if (b) {
		gen_blkio_v1(g, "ioServiceBytesRecursive", b, "blkio.throttle.io_service_bytes_recursive");
		gen_blkio_v1(g, "ioServicedRecursive", b, "blkio.throttle.io_serviced_recursive");
	}
	yajl_gen_map_close(g);
}

static void gen_hugetlb(yajl_gen g, const struct fy_cgroup *cg)
{
	const char *h = cg->dirs[CG_HUGETLB];
	bool v2 = cg->placement.where[CG_HUGETLB] == CG_V2;
	const char *usage_suffix = v2 ? ".current" : ".usage_in_bytes";
	_cleanup_closedir_ DIR *d = h ? opendir(h) : NULL;
	struct dirent *e;

	gen_str(g, "hugetlb");
	yajl_gen_map_open(g);
	while (d && (e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name), slen = strlen(usage_suffix);
		if (strncmp(e->d_name, "hugetlb.", 8) != 0 || len <= 8 + slen ||
		    strcmp(e->d_name + len - slen, usage_suffix) != 0 || strstr(e->d_name, ".rsvd."))
			continue;
		_cleanup_free_ char *size = xstrndup(e->d_name + 8, len - 8 - slen);
		_cleanup_free_ char *max = xasprintf("hugetlb.%s.max_usage_in_bytes", size);
		_cleanup_free_ char *fail = xasprintf("hugetlb.%s.failcnt", size);
		_cleanup_free_ char *events = xasprintf("hugetlb.%s.events", size);
		gen_str(g, size);
		yajl_gen_map_open(g);
		gen_u64_nz(g, "usage", u64(h, e->d_name));
		gen_u64_nz(g, "max", v2 ? 0 : u64(h, max));
		gen_u64(g, "failcnt", v2 ? keyed(h, events, "max") : u64(h, fail));
		yajl_gen_map_close(g);
	}
	yajl_gen_map_close(g);
}

char *cgroup_stats_build(const struct fy_cgroup *cg, struct fy_error **err)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	const unsigned char *buf;
	size_t len;
	char *out;

	yajl_gen_map_open(g);
	gen_cpu(g, cg);
	gen_cpuset(g, cg);
	gen_memory(g, cg);
	gen_pids(g, cg);
	gen_blkio(g, cg);
	gen_hugetlb(g, cg);
	gen_str(g, "intel_rdt");
	yajl_gen_map_open(g);
	yajl_gen_map_close(g);
	gen_str(g, "network_interfaces");
	yajl_gen_null(g);
	yajl_gen_map_close(g);
	if (yajl_gen_get_buf(g, &buf, &len) != yajl_gen_status_ok) {
		yajl_gen_free(g);
		fy_error_set(err, 0, "format the statistics of cgroup %s", cg->path);
		return NULL;
	}
	out = xstrndup((const char *)buf, len);
	yajl_gen_free(g);
	return out;
}
