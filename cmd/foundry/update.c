/* foundry update [flags] <id>: change a running container's resources.
 *   -r, --resources FILE|-   linux.resources JSON (config-linux.md "Control groups")
 *   or runc's flags: --memory 512m, --cpu-quota 50000, --pids-limit 64 ...  (as in runc,
 *   the flags are ignored when --resources is given)
 * Memory sizes take runc's units (b, k, m, g, t; powers of 1024) or -1 for unlimited. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/foundry/commands.h"
#include "lib/container.h"
#include "lib/util.h"
#include "spec/config.h"

enum {
	OPT_BLKIO_WEIGHT = 256,
	OPT_CPU_PERIOD,
	OPT_CPU_QUOTA,
	OPT_CPU_SHARE,
	OPT_CPU_RT_PERIOD,
	OPT_CPU_RT_RUNTIME,
	OPT_CPU_IDLE,
	OPT_CPUSET_CPUS,
	OPT_CPUSET_MEMS,
	OPT_KERNEL_MEMORY,
	OPT_KERNEL_MEMORY_TCP,
	OPT_MEMORY,
	OPT_MEMORY_RESERVATION,
	OPT_MEMORY_SWAP,
	OPT_PIDS_LIMIT,
	OPT_L3_CACHE,
	OPT_MEM_BW,
};

/* runc's units.RAMInBytes: "512m", "1g", "1024", "-1". */
static int parse_bytes(const char *s, int64_t *out)
{
	char *end = NULL;
	double v;
	int64_t mult = 1;

	if (strcmp(s, "-1") == 0) {
		*out = -1;
		return 0;
	}
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v < 0)
		return -1;
	switch (tolower((unsigned char)*end)) {
	case '\0': break;
	case 'b':
		mult = 1;
		end++;
		break;
	case 'k':
		mult = 1LL << 10;
		end++;
		break;
	case 'm':
		mult = 1LL << 20;
		end++;
		break;
	case 'g':
		mult = 1LL << 30;
		end++;
		break;
	case 't':
		mult = 1LL << 40;
		end++;
		break;
	case 'p':
		mult = 1LL << 50;
		end++;
		break;
	default: return -1;
	}
	if (mult > 1 && (strcasecmp(end, "b") == 0 || strcasecmp(end, "ib") == 0))
		end += strlen(end);
	if (*end)
		return -1;
	*out = (int64_t)(v * (double)mult);
	return 0;
}

static int parse_int(const char *flag, const char *s, int64_t *out, struct fy_error **err)
{
	long v;
	if (fy_parse_long(s, &v) < 0)
		return fy_error_set(err, 0, "update: --%s: expected an integer, got \"%s\"", flag, s);
	*out = v;
	return 0;
}

static struct spec_resources *read_resources(const char *path, struct spec_config **holder, struct fy_error **err)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;

	if (strcmp(path, "-") == 0 ? fy_read_fd(0, &text, &len, err) < 0 : fy_read_file(path, &text, &len, err) < 0)
		return NULL;
	/* Parse through the config parser so the JSON gets the same checks and messages:
	 * "--resources: .linux.resources.memory.limit: expected an integer". */
	_cleanup_free_ char *doc = xasprintf("{\"ociVersion\":\"1.0.0\",\"linux\":{\"resources\":%s}}", text);
	*holder = spec_config_parse(doc, strlen(doc), strcmp(path, "-") == 0 ? "--resources -" : path, err);
	if (*holder == NULL)
		return NULL;
	if ((*holder)->linux_ == NULL || (*holder)->linux_->resources == NULL) {
		fy_error_set(err, 0, "update: %s: expected a linux.resources object", path);
		return NULL;
	}
	return (*holder)->linux_->resources;
}

static struct spec_memory *memory(struct spec_resources *r)
{
	if (r->memory == NULL)
		r->memory = xzalloc(sizeof(*r->memory));
	return r->memory;
}

static struct spec_cpu *cpu(struct spec_resources *r)
{
	if (r->cpu == NULL)
		r->cpu = xzalloc(sizeof(*r->cpu));
	return r->cpu;
}

static int apply_flag(struct spec_resources *r, int opt, const char *name, const char *arg, struct fy_error **err)
{
	int64_t v = 0;

	switch (opt) {
	case OPT_MEMORY:
	case OPT_MEMORY_RESERVATION:
	case OPT_MEMORY_SWAP:
	case OPT_KERNEL_MEMORY:
	case OPT_KERNEL_MEMORY_TCP:
		if (parse_bytes(arg, &v) < 0)
			return fy_error_set(err, 0, "update: --%s: expected a size like 512m or -1, got \"%s\"", name,
					    arg);
		break;
	case OPT_CPUSET_CPUS:
		free(cpu(r)->cpus);
		r->cpu->cpus = xstrdup(arg);
		return 0;
	case OPT_CPUSET_MEMS:
		free(cpu(r)->mems);
		r->cpu->mems = xstrdup(arg);
		return 0;
	case OPT_L3_CACHE:
	case OPT_MEM_BW: return fy_error_set(err, ENOTSUP, "update: --%s: Intel RDT is not supported", name);
	default:
		if (parse_int(name, arg, &v, err) < 0)
			return -1;
	}
	switch (opt) {
	case OPT_MEMORY: memory(r)->has_limit = true, r->memory->limit = v; break;
	case OPT_MEMORY_RESERVATION: memory(r)->has_reservation = true, r->memory->reservation = v; break;
	case OPT_MEMORY_SWAP: memory(r)->has_swap = true, r->memory->swap = v; break;
	case OPT_KERNEL_MEMORY: memory(r)->has_kernel = true, r->memory->kernel = v; break;
	case OPT_KERNEL_MEMORY_TCP: memory(r)->has_kernel_tcp = true, r->memory->kernel_tcp = v; break;
	case OPT_CPU_PERIOD: cpu(r)->has_period = true, r->cpu->period = (uint64_t)v; break;
	case OPT_CPU_QUOTA: cpu(r)->has_quota = true, r->cpu->quota = v; break;
	case OPT_CPU_SHARE: cpu(r)->has_shares = true, r->cpu->shares = (uint64_t)v; break;
	case OPT_CPU_RT_PERIOD: cpu(r)->has_realtime_period = true, r->cpu->realtime_period = (uint64_t)v; break;
	case OPT_CPU_RT_RUNTIME: cpu(r)->has_realtime_runtime = true, r->cpu->realtime_runtime = v; break;
	case OPT_CPU_IDLE: cpu(r)->has_idle = true, r->cpu->idle = v; break;
	case OPT_PIDS_LIMIT:
		if (r->pids == NULL)
			r->pids = xzalloc(sizeof(*r->pids));
		r->pids->has_limit = true;
		r->pids->limit = v;
		break;
	case OPT_BLKIO_WEIGHT:
		if (v < 10 || v > 1000)
			return fy_error_set(err, 0, "update: --blkio-weight: expected 10 to 1000, got %lld",
					    (long long)v);
		if (r->block_io == NULL)
			r->block_io = xzalloc(sizeof(*r->block_io));
		r->block_io->has_weight = true;
		r->block_io->weight = (uint16_t)v;
		break;
	}
	return 0;
}

int cmd_update(const struct global_options *g, int argc, char **argv, struct fy_error **err)
{
	static const struct option opts[] = {
		{ "resources", required_argument, NULL, 'r' },
		{ "blkio-weight", required_argument, NULL, OPT_BLKIO_WEIGHT },
		{ "cpu-period", required_argument, NULL, OPT_CPU_PERIOD },
		{ "cpu-quota", required_argument, NULL, OPT_CPU_QUOTA },
		{ "cpu-share", required_argument, NULL, OPT_CPU_SHARE },
		{ "cpu-rt-period", required_argument, NULL, OPT_CPU_RT_PERIOD },
		{ "cpu-rt-runtime", required_argument, NULL, OPT_CPU_RT_RUNTIME },
		{ "cpu-idle", required_argument, NULL, OPT_CPU_IDLE },
		{ "cpuset-cpus", required_argument, NULL, OPT_CPUSET_CPUS },
		{ "cpuset-mems", required_argument, NULL, OPT_CPUSET_MEMS },
		{ "kernel-memory", required_argument, NULL, OPT_KERNEL_MEMORY },
		{ "kernel-memory-tcp", required_argument, NULL, OPT_KERNEL_MEMORY_TCP },
		{ "memory", required_argument, NULL, OPT_MEMORY },
		{ "memory-reservation", required_argument, NULL, OPT_MEMORY_RESERVATION },
		{ "memory-swap", required_argument, NULL, OPT_MEMORY_SWAP },
		{ "pids-limit", required_argument, NULL, OPT_PIDS_LIMIT },
		{ "l3-cache-schema", required_argument, NULL, OPT_L3_CACHE },
		{ "mem-bw-schema", required_argument, NULL, OPT_MEM_BW },
		{ NULL, 0, NULL, 0 },
	};
	_cleanup_config_ struct spec_config *holder = NULL;
	struct spec_resources *res = NULL;
	const char *resources_path = NULL, *id;
	struct {
		int opt;
		const char *name, *arg;
	} flags[ARRAY_SIZE(opts)];
	size_t n_flags = 0;
	int c, idx;

	while ((c = getopt_long(argc, argv, "+r:", opts, &idx)) != -1) {
		if (c == 'r')
			resources_path = optarg;
		else if (c >= OPT_BLKIO_WEIGHT && n_flags < ARRAY_SIZE(flags))
			flags[n_flags++] = (typeof(flags[0])){ c, opts[idx].name, optarg };
		else
			return fy_error_set(err, 0, "update: unknown option (see runc update --help for the flags)");
	}
	if (command_take_id("update", argc, argv, optind, &id, err) < 0)
		return -1;
	if (resources_path) {
		res = read_resources(resources_path, &holder, err);
		if (res == NULL)
			return fy_error_wrap(err, "update");
		/* runc reads either the JSON or the flags, never both. */
		if (n_flags)
			fy_warn("update: --%s and the other resource flags are ignored with --resources (as runc does)",
				flags[0].name);
		return container_update(g->root, id, res, err);
	}
	holder = xzalloc(sizeof(*holder));
	holder->linux_ = xzalloc(sizeof(*holder->linux_));
	res = holder->linux_->resources = xzalloc(sizeof(*res));
	for (size_t i = 0; i < n_flags; i++)
		if (apply_flag(res, flags[i].opt, flags[i].name, flags[i].arg, err) < 0)
			return -1;
	return container_update(g->root, id, res, err);
}
