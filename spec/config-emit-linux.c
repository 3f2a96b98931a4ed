/* The linux section of spec_config_to_json (config-emit.c has the rest). */
#include <config.h> /* autoconf's; "config.h" would find spec/config.h */

#include "spec/config-internal.h"
#include "spec/emit.h"

static void emit_device_cgroups(yajl_gen g, const struct spec_resources *r)
{
	if (r->devices == NULL)
		return;
	emit_key(g, "devices");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < r->n_devices; i++) {
		const struct spec_device_cgroup *d = &r->devices[i];
		yajl_gen_map_open(g);
		emit_kbool(g, "allow", d->allow);
		emit_kstr(g, "type", d->type);
		if (d->has_major)
			emit_ki64(g, "major", d->major);
		if (d->has_minor)
			emit_ki64(g, "minor", d->minor);
		emit_kstr(g, "access", d->access);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
}

static void emit_memory(yajl_gen g, const struct spec_memory *m)
{
	if (m == NULL)
		return;
	emit_key(g, "memory");
	yajl_gen_map_open(g);
	if (m->has_limit)
		emit_ki64(g, "limit", m->limit);
	if (m->has_reservation)
		emit_ki64(g, "reservation", m->reservation);
	if (m->has_swap)
		emit_ki64(g, "swap", m->swap);
	if (m->has_kernel)
		emit_ki64(g, "kernel", m->kernel);
	if (m->has_kernel_tcp)
		emit_ki64(g, "kernelTCP", m->kernel_tcp);
	if (m->has_swappiness)
		emit_ku64(g, "swappiness", m->swappiness);
	if (m->has_disable_oom_killer)
		emit_kbool(g, "disableOOMKiller", m->disable_oom_killer);
	if (m->has_use_hierarchy)
		emit_kbool(g, "useHierarchy", m->use_hierarchy);
	if (m->has_check_before_update)
		emit_kbool(g, "checkBeforeUpdate", m->check_before_update);
	yajl_gen_map_close(g);
}

static void emit_cpu(yajl_gen g, const struct spec_cpu *c)
{
	if (c == NULL)
		return;
	emit_key(g, "cpu");
	yajl_gen_map_open(g);
	if (c->has_shares)
		emit_ku64(g, "shares", c->shares);
	if (c->has_quota)
		emit_ki64(g, "quota", c->quota);
	if (c->has_burst)
		emit_ku64(g, "burst", c->burst);
	if (c->has_period)
		emit_ku64(g, "period", c->period);
	if (c->has_realtime_runtime)
		emit_ki64(g, "realtimeRuntime", c->realtime_runtime);
	if (c->has_realtime_period)
		emit_ku64(g, "realtimePeriod", c->realtime_period);
	emit_kstr(g, "cpus", c->cpus);
	emit_kstr(g, "mems", c->mems);
	if (c->has_idle)
		emit_ki64(g, "idle", c->idle);
	yajl_gen_map_close(g);
}

static void emit_throttle(yajl_gen g, const char *key, const struct spec_throttle_device *t, size_t n)
{
	if (t == NULL)
		return;
	emit_key(g, key);
	yajl_gen_array_open(g);
	for (size_t i = 0; i < n; i++) {
		yajl_gen_map_open(g);
		emit_ki64(g, "major", t[i].major);
		emit_ki64(g, "minor", t[i].minor);
		emit_ku64(g, "rate", t[i].rate);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
}

static void emit_block_io(yajl_gen g, const struct spec_block_io *b)
{
	if (b == NULL)
		return;
	emit_key(g, "blockIO");
	yajl_gen_map_open(g);
	if (b->has_weight)
		emit_ku64(g, "weight", b->weight);
	if (b->has_leaf_weight)
		emit_ku64(g, "leafWeight", b->leaf_weight);
	if (b->weight_device) {
		emit_key(g, "weightDevice");
		yajl_gen_array_open(g);
		for (size_t i = 0; i < b->n_weight_device; i++) {
			const struct spec_weight_device *w = &b->weight_device[i];
			yajl_gen_map_open(g);
			emit_ki64(g, "major", w->major);
			emit_ki64(g, "minor", w->minor);
			if (w->has_weight)
				emit_ku64(g, "weight", w->weight);
			if (w->has_leaf_weight)
				emit_ku64(g, "leafWeight", w->leaf_weight);
			yajl_gen_map_close(g);
		}
		yajl_gen_array_close(g);
	}
	emit_throttle(g, "throttleReadBpsDevice", b->throttle_read_bps_device, b->n_throttle_read_bps_device);
	emit_throttle(g, "throttleWriteBpsDevice", b->throttle_write_bps_device, b->n_throttle_write_bps_device);
	emit_throttle(g, "throttleReadIOPSDevice", b->throttle_read_iops_device, b->n_throttle_read_iops_device);
	emit_throttle(g, "throttleWriteIOPSDevice", b->throttle_write_iops_device, b->n_throttle_write_iops_device);
	yajl_gen_map_close(g);
}

static void emit_network_and_rdma(yajl_gen g, const struct spec_resources *r)
{
	if (r->network) {
		emit_key(g, "network");
		yajl_gen_map_open(g);
		if (r->network->has_class_id)
			emit_ku64(g, "classID", r->network->class_id);
		if (r->network->priorities) {
			emit_key(g, "priorities");
			yajl_gen_array_open(g);
			for (size_t i = 0; i < r->network->n_priorities; i++) {
				yajl_gen_map_open(g);
				emit_kstr(g, "name", r->network->priorities[i].name);
				emit_ku64(g, "priority", r->network->priorities[i].priority);
				yajl_gen_map_close(g);
			}
			yajl_gen_array_close(g);
		}
		yajl_gen_map_close(g);
	}
	if (r->rdma) {
		emit_key(g, "rdma");
		yajl_gen_map_open(g);
		for (size_t i = 0; i < r->n_rdma; i++) {
			emit_key(g, r->rdma[i].device);
			yajl_gen_map_open(g);
			if (r->rdma[i].has_hca_handles)
				emit_ku64(g, "hcaHandles", r->rdma[i].hca_handles);
			if (r->rdma[i].has_hca_objects)
				emit_ku64(g, "hcaObjects", r->rdma[i].hca_objects);
			yajl_gen_map_close(g);
		}
		yajl_gen_map_close(g);
	}
}

static void emit_resources(yajl_gen g, const struct spec_resources *r)
{
	if (r == NULL)
		return;
	emit_key(g, "resources");
	yajl_gen_map_open(g);
	emit_device_cgroups(g, r);
	emit_memory(g, r->memory);
	emit_cpu(g, r->cpu);
	if (r->pids) {
		emit_key(g, "pids");
		yajl_gen_map_open(g);
		emit_ki64(g, "limit", r->pids->limit);
		yajl_gen_map_close(g);
	}
	emit_block_io(g, r->block_io);
	if (r->hugepage_limits) {
		emit_key(g, "hugepageLimits");
		yajl_gen_array_open(g);
		for (size_t i = 0; i < r->n_hugepage_limits; i++) {
			yajl_gen_map_open(g);
			emit_kstr(g, "pageSize", r->hugepage_limits[i].page_size);
			emit_ku64(g, "limit", r->hugepage_limits[i].limit);
			yajl_gen_map_close(g);
		}
		yajl_gen_array_close(g);
	}
	emit_network_and_rdma(g, r);
	emit_kmap(g, "unified", r->unified, r->n_unified);
	yajl_gen_map_close(g);
}

static void emit_devices(yajl_gen g, const struct spec_linux *l)
{
	if (l->devices == NULL)
		return;
	emit_key(g, "devices");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < l->n_devices; i++) {
		const struct spec_device *d = &l->devices[i];
		yajl_gen_map_open(g);
		emit_kstr(g, "path", d->path);
		emit_kstr(g, "type", d->type);
		if (d->has_major)
			emit_ki64(g, "major", d->major);
		if (d->has_minor)
			emit_ki64(g, "minor", d->minor);
		if (d->has_file_mode)
			emit_ku64(g, "fileMode", d->file_mode);
		if (d->has_uid)
			emit_ku64(g, "uid", d->uid);
		if (d->has_gid)
			emit_ku64(g, "gid", d->gid);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
}

static void emit_syscalls(yajl_gen g, const struct spec_seccomp *s)
{
	emit_key(g, "syscalls");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < s->n_syscalls; i++) {
		const struct spec_syscall *sc = &s->syscalls[i];
		yajl_gen_map_open(g);
		emit_kstrv(g, "names", sc->names, sc->n_names);
		emit_kstr(g, "action", sc->action);
		if (sc->has_errno_ret)
			emit_ku64(g, "errnoRet", sc->errno_ret);
		if (sc->args) {
			emit_key(g, "args");
			yajl_gen_array_open(g);
			for (size_t k = 0; k < sc->n_args; k++) {
				yajl_gen_map_open(g);
				emit_ku64(g, "index", sc->args[k].index);
				emit_ku64(g, "value", sc->args[k].value);
				if (sc->args[k].has_value_two)
					emit_ku64(g, "valueTwo", sc->args[k].value_two);
				emit_kstr(g, "op", sc->args[k].op);
				yajl_gen_map_close(g);
			}
			yajl_gen_array_close(g);
		}
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
}

static void emit_seccomp(yajl_gen g, const struct spec_seccomp *s)
{
	if (s == NULL)
		return;
	emit_key(g, "seccomp");
	yajl_gen_map_open(g);
	emit_kstr(g, "defaultAction", s->default_action);
	if (s->has_default_errno_ret)
		emit_ku64(g, "defaultErrnoRet", s->default_errno_ret);
	if (s->architectures)
		emit_kstrv(g, "architectures", s->architectures, s->n_architectures);
	if (s->flags)
		emit_kstrv(g, "flags", s->flags, s->n_flags);
	emit_kstr(g, "listenerPath", s->listener_path);
	emit_kstr(g, "listenerMetadata", s->listener_metadata);
	if (s->syscalls)
		emit_syscalls(g, s);
	yajl_gen_map_close(g);
}

static void emit_time_offset(yajl_gen g, const char *key, const struct spec_time_offset *t)
{
	if (t == NULL)
		return;
	emit_key(g, key);
	yajl_gen_map_open(g);
	if (t->has_secs)
		emit_ki64(g, "secs", t->secs);
	if (t->has_nanosecs)
		emit_ku64(g, "nanosecs", t->nanosecs);
	yajl_gen_map_close(g);
}

static void emit_linux_tail(yajl_gen g, const struct spec_linux *l)
{
	if (l->intel_rdt) {
		const struct spec_intel_rdt *r = l->intel_rdt;
		emit_key(g, "intelRdt");
		yajl_gen_map_open(g);
		emit_kstr(g, "closID", r->clos_id);
		if (r->schemata)
			emit_kstrv(g, "schemata", r->schemata, r->n_schemata);
		emit_kstr(g, "l3CacheSchema", r->l3_cache_schema);
		emit_kstr(g, "memBwSchema", r->mem_bw_schema);
		if (r->has_enable_monitoring)
			emit_kbool(g, "enableMonitoring", r->enable_monitoring);
		yajl_gen_map_close(g);
	}
	if (l->personality) {
		emit_key(g, "personality");
		yajl_gen_map_open(g);
		emit_kstr(g, "domain", l->personality->domain);
		if (l->personality->flags)
			emit_kstrv(g, "flags", l->personality->flags, l->personality->n_flags);
		yajl_gen_map_close(g);
	}
	if (l->time_offsets) {
		emit_key(g, "timeOffsets");
		yajl_gen_map_open(g);
		emit_time_offset(g, "monotonic", l->time_offsets->monotonic);
		emit_time_offset(g, "boottime", l->time_offsets->boottime);
		yajl_gen_map_close(g);
	}
	if (l->memory_policy) {
		emit_key(g, "memoryPolicy");
		yajl_gen_map_open(g);
		emit_kstr(g, "mode", l->memory_policy->mode);
		emit_kstr(g, "nodes", l->memory_policy->nodes);
		if (l->memory_policy->flags)
			emit_kstrv(g, "flags", l->memory_policy->flags, l->memory_policy->n_flags);
		yajl_gen_map_close(g);
	}
}

static void emit_namespaces_and_net_devices(yajl_gen g, const struct spec_linux *l)
{
	if (l->namespaces) {
		emit_key(g, "namespaces");
		yajl_gen_array_open(g);
		for (size_t i = 0; i < l->n_namespaces; i++) {
			yajl_gen_map_open(g);
			emit_kstr(g, "type", spec_namespace_type_name(l->namespaces[i].type));
			emit_kstr(g, "path", l->namespaces[i].path);
			yajl_gen_map_close(g);
		}
		yajl_gen_array_close(g);
	}
	if (l->net_devices) {
		emit_key(g, "netDevices");
		yajl_gen_map_open(g);
		for (size_t i = 0; i < l->n_net_devices; i++) {
			emit_key(g, l->net_devices[i].host_name);
			if (l->net_devices[i].name == NULL) {
				emit_empty_object(g);
				continue;
			}
			yajl_gen_map_open(g);
			emit_kstr(g, "name", l->net_devices[i].name);
			yajl_gen_map_close(g);
		}
		yajl_gen_map_close(g);
	}
}

void spec_emit_linux(yajl_gen g, const struct spec_linux *l)
{
	if (l == NULL)
		return;
	emit_key(g, "linux");
	yajl_gen_map_open(g);
	spec_emit_idmappings(g, "uidMappings", l->uid_mappings, l->n_uid_mappings);
	spec_emit_idmappings(g, "gidMappings", l->gid_mappings, l->n_gid_mappings);
	emit_kmap(g, "sysctl", l->sysctl, l->n_sysctl);
	emit_resources(g, l->resources);
	emit_kstr(g, "cgroupsPath", l->cgroups_path);
	emit_namespaces_and_net_devices(g, l);
	emit_devices(g, l);
	emit_seccomp(g, l->seccomp);
	emit_kstr(g, "rootfsPropagation", l->rootfs_propagation);
	if (l->has_masked_paths)
		emit_kstrv(g, "maskedPaths", l->masked_paths, l->n_masked_paths);
	if (l->has_readonly_paths)
		emit_kstrv(g, "readonlyPaths", l->readonly_paths, l->n_readonly_paths);
	emit_kstr(g, "mountLabel", l->mount_label);
	emit_linux_tail(g, l);
	yajl_gen_map_close(g);
}
