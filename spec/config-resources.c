/* config-linux.md "Control groups": linux.resources. */
#include <config.h> /* autoconf's; "config.h" would find spec/config.h */

#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "spec/config-internal.h"
#include "spec/json.h"

static const char *const device_cgroup_type_names[] = { "a", "c", "b", NULL };

static int parse_device_cgroup(struct spec_json *j, yajl_val obj, void *elem)
{
	struct spec_device_cgroup *d = elem;

	bool has_allow;

	if (sj_bool(j, obj, "allow", &d->allow, &has_allow) < 0)
		return -1;
	/* defs-linux.json "DeviceCgroup": allow is required. */
	if (!has_allow) {
		sj_push_key(j, "allow");
		return sj_fail(j, "required property missing");
	}
	if (sj_enum_string(j, obj, "type", SJ_OPTIONAL, device_cgroup_type_names, &d->type) < 0 ||
	    sj_i64(j, obj, "major", SJ_OPTIONAL, &d->major, &d->has_major) < 0 ||
	    sj_i64(j, obj, "minor", SJ_OPTIONAL, &d->minor, &d->has_minor) < 0 ||
	    sj_string(j, obj, "access", SJ_OPTIONAL, &d->access) < 0)
		return -1;
	if (d->access && strspn(d->access, "rwm") != strlen(d->access))
		return sj_fail_member(j, obj, "access", "a combination of r, w and m");
	return 0;
}

static int parse_memory(struct spec_json *j, yajl_val res, struct spec_memory **out)
{
	struct spec_memory *m;
	yajl_val obj;
	size_t mark;

	if (sj_object(j, res, "memory", SJ_OPTIONAL, &obj) < 0)
		return -1;
	if (obj == NULL)
		return 0;
	m = *out = xzalloc(sizeof **out);
	mark = sj_push_key(j, "memory");
	if (sj_i64(j, obj, "limit", SJ_OPTIONAL, &m->limit, &m->has_limit) < 0 ||
	    sj_i64(j, obj, "reservation", SJ_OPTIONAL, &m->reservation, &m->has_reservation) < 0 ||
	    sj_i64(j, obj, "swap", SJ_OPTIONAL, &m->swap, &m->has_swap) < 0 ||
	    sj_i64(j, obj, "kernel", SJ_OPTIONAL, &m->kernel, &m->has_kernel) < 0 ||
	    sj_i64(j, obj, "kernelTCP", SJ_OPTIONAL, &m->kernel_tcp, &m->has_kernel_tcp) < 0 ||
	    sj_u64(j, obj, "swappiness", SJ_OPTIONAL, &m->swappiness, &m->has_swappiness) < 0 ||
	    sj_bool(j, obj, "disableOOMKiller", &m->disable_oom_killer, &m->has_disable_oom_killer) < 0 ||
	    sj_bool(j, obj, "useHierarchy", &m->use_hierarchy, &m->has_use_hierarchy) < 0 ||
	    sj_bool(j, obj, "checkBeforeUpdate", &m->check_before_update, &m->has_check_before_update) < 0)
		return -1;
	sj_pop(j, mark);
	return 0;
}

static int parse_cpu(struct spec_json *j, yajl_val res, struct spec_cpu **out)
{
	struct spec_cpu *c;
	yajl_val obj;
	size_t mark;

	if (sj_object(j, res, "cpu", SJ_OPTIONAL, &obj) < 0)
		return -1;
	if (obj == NULL)
		return 0;
	c = *out = xzalloc(sizeof **out);
	mark = sj_push_key(j, "cpu");
	if (sj_u64(j, obj, "shares", SJ_OPTIONAL, &c->shares, &c->has_shares) < 0 ||
	    sj_i64(j, obj, "quota", SJ_OPTIONAL, &c->quota, &c->has_quota) < 0 ||
	    sj_u64(j, obj, "burst", SJ_OPTIONAL, &c->burst, &c->has_burst) < 0 ||
	    sj_u64(j, obj, "period", SJ_OPTIONAL, &c->period, &c->has_period) < 0 ||
	    sj_i64(j, obj, "realtimeRuntime", SJ_OPTIONAL, &c->realtime_runtime, &c->has_realtime_runtime) < 0 ||
	    sj_u64(j, obj, "realtimePeriod", SJ_OPTIONAL, &c->realtime_period, &c->has_realtime_period) < 0 ||
	    sj_string(j, obj, "cpus", SJ_OPTIONAL, &c->cpus) < 0 ||
	    sj_string(j, obj, "mems", SJ_OPTIONAL, &c->mems) < 0 ||
	    sj_i64(j, obj, "idle", SJ_OPTIONAL, &c->idle, &c->has_idle) < 0)
		return -1;
	sj_pop(j, mark);
	return 0;
}

static int parse_pids(struct spec_json *j, yajl_val res, struct spec_pids **out)
{
	yajl_val obj;
	size_t mark;

	if (sj_object(j, res, "pids", SJ_OPTIONAL, &obj) < 0)
		return -1;
	if (obj == NULL)
		return 0;
	*out = xzalloc(sizeof **out);
	mark = sj_push_key(j, "pids");
	if (sj_i64(j, obj, "limit", SJ_REQUIRED, &(*out)->limit, &(*out)->has_limit) < 0)
		return -1;
	sj_pop(j, mark);
	return 0;
}

static int parse_weight_device(struct spec_json *j, yajl_val obj, void *elem)
{
	struct spec_weight_device *w = elem;

	if (sj_i64(j, obj, "major", SJ_REQUIRED, &w->major, NULL) < 0 ||
	    sj_i64(j, obj, "minor", SJ_REQUIRED, &w->minor, NULL) < 0 ||
	    sj_u16(j, obj, "weight", SJ_OPTIONAL, &w->weight, &w->has_weight) < 0 ||
	    sj_u16(j, obj, "leafWeight", SJ_OPTIONAL, &w->leaf_weight, &w->has_leaf_weight) < 0)
		return -1;
	return 0;
}

static int parse_throttle_device(struct spec_json *j, yajl_val obj, void *elem)
{
	struct spec_throttle_device *t = elem;

	if (sj_i64(j, obj, "major", SJ_REQUIRED, &t->major, NULL) < 0 ||
	    sj_i64(j, obj, "minor", SJ_REQUIRED, &t->minor, NULL) < 0 ||
	    sj_u64(j, obj, "rate", SJ_OPTIONAL, &t->rate, NULL) < 0)
		return -1;
	return 0;
}

static int parse_throttle_list(struct spec_json *j, yajl_val obj, const char *key, struct spec_throttle_device **out,
			       size_t *n)
{
	return sj_object_array(j, obj, key, SJ_OPTIONAL, sizeof(struct spec_throttle_device), parse_throttle_device,
			       (void **)out, n);
}

static int parse_block_io(struct spec_json *j, yajl_val res, struct spec_block_io **out)
{
	struct spec_block_io *b;
	yajl_val obj;
	size_t mark;

	if (sj_object(j, res, "blockIO", SJ_OPTIONAL, &obj) < 0)
		return -1;
	if (obj == NULL)
		return 0;
	b = *out = xzalloc(sizeof **out);
	mark = sj_push_key(j, "blockIO");
	if (sj_u16(j, obj, "weight", SJ_OPTIONAL, &b->weight, &b->has_weight) < 0 ||
	    sj_u16(j, obj, "leafWeight", SJ_OPTIONAL, &b->leaf_weight, &b->has_leaf_weight) < 0 ||
	    sj_object_array(j, obj, "weightDevice", SJ_OPTIONAL, sizeof(struct spec_weight_device), parse_weight_device,
			    (void **)&b->weight_device, &b->n_weight_device) < 0 ||
	    parse_throttle_list(j, obj, "throttleReadBpsDevice", &b->throttle_read_bps_device,
				&b->n_throttle_read_bps_device) < 0 ||
	    parse_throttle_list(j, obj, "throttleWriteBpsDevice", &b->throttle_write_bps_device,
				&b->n_throttle_write_bps_device) < 0 ||
	    parse_throttle_list(j, obj, "throttleReadIOPSDevice", &b->throttle_read_iops_device,
				&b->n_throttle_read_iops_device) < 0 ||
	    parse_throttle_list(j, obj, "throttleWriteIOPSDevice", &b->throttle_write_iops_device,
				&b->n_throttle_write_iops_device) < 0)
		return -1;
	sj_pop(j, mark);
	return 0;
}

static int parse_hugepage_limit(struct spec_json *j, yajl_val obj, void *elem)
{
	struct spec_hugepage_limit *h = elem;

	if (sj_string(j, obj, "pageSize", SJ_REQUIRED, &h->page_size) < 0 ||
	    sj_u64(j, obj, "limit", SJ_REQUIRED, &h->limit, NULL) < 0)
		return -1;
	return 0;
}

static int parse_net_priority(struct spec_json *j, yajl_val obj, void *elem)
{
	struct spec_net_priority *p = elem;

	if (sj_string(j, obj, "name", SJ_REQUIRED, &p->name) < 0 ||
	    sj_u32(j, obj, "priority", SJ_REQUIRED, &p->priority, NULL) < 0)
		return -1;
	return 0;
}

static int parse_network(struct spec_json *j, yajl_val res, struct spec_network_resources **out)
{
	yajl_val obj;
	size_t mark;

	if (sj_object(j, res, "network", SJ_OPTIONAL, &obj) < 0)
		return -1;
	if (obj == NULL)
		return 0;
	*out = xzalloc(sizeof **out);
	mark = sj_push_key(j, "network");
	if (sj_u32(j, obj, "classID", SJ_OPTIONAL, &(*out)->class_id, &(*out)->has_class_id) < 0 ||
	    sj_object_array(j, obj, "priorities", SJ_OPTIONAL, sizeof(struct spec_net_priority), parse_net_priority,
			    (void **)&(*out)->priorities, &(*out)->n_priorities) < 0)
		return -1;
	sj_pop(j, mark);
	return 0;
}

static int parse_rdma(struct spec_json *j, const char *key, yajl_val obj, void *elem)
{
	struct spec_rdma_limit *r = elem;

	r->device = xstrdup(key);
	if (sj_u32(j, obj, "hcaHandles", SJ_OPTIONAL, &r->hca_handles, &r->has_hca_handles) < 0 ||
	    sj_u32(j, obj, "hcaObjects", SJ_OPTIONAL, &r->hca_objects, &r->has_hca_objects) < 0)
		return -1;
	return 0;
}

static int parse_resources_body(struct spec_json *j, yajl_val obj, struct spec_resources *r)
{
	if (sj_object_array(j, obj, "devices", SJ_OPTIONAL, sizeof(struct spec_device_cgroup), parse_device_cgroup,
			    (void **)&r->devices, &r->n_devices) < 0 ||
	    parse_memory(j, obj, &r->memory) < 0 || parse_cpu(j, obj, &r->cpu) < 0 ||
	    parse_pids(j, obj, &r->pids) < 0 || parse_block_io(j, obj, &r->block_io) < 0 ||
	    sj_object_array(j, obj, "hugepageLimits", SJ_OPTIONAL, sizeof(struct spec_hugepage_limit),
			    parse_hugepage_limit, (void **)&r->hugepage_limits, &r->n_hugepage_limits) < 0 ||
	    parse_network(j, obj, &r->network) < 0 ||
	    sj_object_map(j, obj, "rdma", sizeof(struct spec_rdma_limit), parse_rdma, (void **)&r->rdma, &r->n_rdma) <
		0 ||
	    sj_string_map(j, obj, "unified", &r->unified, &r->n_unified) < 0)
		return -1;
	return 0;
}

int spec_resources_parse(struct spec_json *j, yajl_val parent, struct spec_resources **out)
{
	yajl_val obj;
	size_t mark;

	if (sj_object(j, parent, "resources", SJ_OPTIONAL, &obj) < 0)
		return -1;
	if (obj == NULL)
		return 0;
	*out = xzalloc(sizeof **out);
	mark = sj_push_key(j, "resources");
	if (parse_resources_body(j, obj, *out) < 0)
		return -1;
	sj_pop(j, mark);
	return 0;
}

static void block_io_free(struct spec_block_io *b)
{
	if (b == NULL)
		return;
	free(b->weight_device);
	free(b->throttle_read_bps_device);
	free(b->throttle_write_bps_device);
	free(b->throttle_read_iops_device);
	free(b->throttle_write_iops_device);
	free(b);
}

void spec_resources_free(struct spec_resources *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n_devices; i++) {
		free(r->devices[i].type);
		free(r->devices[i].access);
	}
	free(r->devices);
	free(r->memory);
	if (r->cpu) {
		free(r->cpu->cpus);
		free(r->cpu->mems);
	}
	free(r->cpu);
	free(r->pids);
	block_io_free(r->block_io);
	for (size_t i = 0; i < r->n_hugepage_limits; i++)
		free(r->hugepage_limits[i].page_size);
	free(r->hugepage_limits);
	if (r->network) {
		for (size_t i = 0; i < r->network->n_priorities; i++)
			free(r->network->priorities[i].name);
		free(r->network->priorities);
		free(r->network);
	}
	for (size_t i = 0; i < r->n_rdma; i++)
		free(r->rdma[i].device);
	free(r->rdma);
	spec_kv_free(r->unified, r->n_unified);
	free(r);
}
