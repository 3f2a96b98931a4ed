/* config-linux.md: namespaces, id mappings, devices, netDevices, sysctl, masked and
 * read-only paths, intelRdt, personality, timeOffsets, memoryPolicy.  resources and seccomp
 * have their own files. */
#include <config.h> /* autoconf's; "config.h" would find spec/config.h */

#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "spec/config-internal.h"
#include "spec/json.h"

static const char *const rootfs_propagation_names[] = { "private", "shared", "slave", "unbindable", NULL };
static const char *const personality_domain_names[] = { "LINUX", "LINUX32", NULL };
static const char *const memory_policy_mode_names[] = {
	"MPOL_DEFAULT",   "MPOL_BIND",           "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE",
	"MPOL_PREFERRED", "MPOL_PREFERRED_MANY", "MPOL_LOCAL",      NULL,
};
static const char *const memory_policy_flag_names[] = {
	"MPOL_F_NUMA_BALANCING",
	"MPOL_F_RELATIVE_NODES",
	"MPOL_F_STATIC_NODES",
	NULL,
};
static const char *const device_type_names[] = { "c", "b", "u", "p", NULL };

static int parse_namespace(struct spec_json *j, yajl_val obj, void *elem)
{
	struct spec_namespace *ns = elem;
	int type;

	if (sj_enum(j, obj, "type", SJ_REQUIRED, spec_namespace_names, &type, NULL) < 0 ||
	    sj_string(j, obj, "path", SJ_OPTIONAL, &ns->path) < 0)
		return -1;
	ns->type = (enum spec_namespace_type)type;
	return 0;
}

/* config-linux.md "Namespaces": a type given twice is an error. */
static int check_namespaces_unique(struct spec_json *j, const struct spec_linux *l)
{
	for (size_t i = 0; i < l->n_namespaces; i++) {
		for (size_t k = 0; k < i; k++) {
			if (l->namespaces[k].type != l->namespaces[i].type)
				continue;
			size_t mark = sj_push_key(j, "namespaces");
			sj_push_index(j, i);
			sj_fail(j, "duplicate namespace type \"%s\" (also at [%zu])",
				spec_namespace_type_name(l->namespaces[i].type), k);
			sj_pop(j, mark);
			return -1;
		}
	}
	return 0;
}

static int parse_device(struct spec_json *j, yajl_val obj, void *elem)
{
	struct spec_device *d = elem;
	int64_t mode;
	bool has_mode;

	if (sj_enum_string(j, obj, "type", SJ_REQUIRED, device_type_names, &d->type) < 0 ||
	    sj_string(j, obj, "path", SJ_REQUIRED, &d->path) < 0)
		return -1;
	/* config-linux.md "Devices": major and minor are REQUIRED unless type is p. */
	enum sj_presence numbers = strcmp(d->type, "p") == 0 ? SJ_OPTIONAL : SJ_REQUIRED;
	if (sj_i64(j, obj, "major", numbers, &d->major, &d->has_major) < 0 ||
	    sj_i64(j, obj, "minor", numbers, &d->minor, &d->has_minor) < 0 ||
	    sj_i64_range(j, obj, "fileMode", SJ_OPTIONAL, 0, 0777, &mode, &has_mode) < 0 ||
	    sj_u32(j, obj, "uid", SJ_OPTIONAL, &d->uid, &d->has_uid) < 0 ||
	    sj_u32(j, obj, "gid", SJ_OPTIONAL, &d->gid, &d->has_gid) < 0)
		return -1;
	d->has_file_mode = has_mode;
	if (has_mode)
		d->file_mode = (uint32_t)mode;
	return 0;
}

static int parse_net_device(struct spec_json *j, const char *key, yajl_val obj, void *elem)
{
	struct spec_net_device *d = elem;

	d->host_name = xstrdup(key);
	return sj_string(j, obj, "name", SJ_OPTIONAL, &d->name);
}

static int parse_time_offset(struct spec_json *j, yajl_val parent, const char *key, struct spec_time_offset **out)
{
	yajl_val obj;
	size_t mark;

	if (sj_object(j, parent, key, SJ_OPTIONAL, &obj) < 0)
		return -1;
	if (obj == NULL)
		return 0;
	*out = xzalloc(sizeof **out);
	mark = sj_push_key(j, key);
	if (sj_i64(j, obj, "secs", SJ_OPTIONAL, &(*out)->secs, &(*out)->has_secs) < 0 ||
	    sj_u32(j, obj, "nanosecs", SJ_OPTIONAL, &(*out)->nanosecs, &(*out)->has_nanosecs) < 0)
		return -1;
	sj_pop(j, mark);
	return 0;
}

static int parse_time_offsets(struct spec_json *j, yajl_val linux_, struct spec_time_offsets **out)
{
	yajl_val obj;
	size_t mark;

	if (sj_object(j, linux_, "timeOffsets", SJ_OPTIONAL, &obj) < 0)
		return -1;
	if (obj == NULL)
		return 0;
	*out = xzalloc(sizeof **out);
	mark = sj_push_key(j, "timeOffsets");
	if (parse_time_offset(j, obj, "monotonic", &(*out)->monotonic) < 0 ||
	    parse_time_offset(j, obj, "boottime", &(*out)->boottime) < 0)
		return -1;
	sj_pop(j, mark);
	return 0;
}

static int parse_intel_rdt(struct spec_json *j, yajl_val linux_, struct spec_intel_rdt **out)
{
	struct spec_intel_rdt *r;
	yajl_val obj;
	size_t mark;

	if (sj_object(j, linux_, "intelRdt", SJ_OPTIONAL, &obj) < 0)
		return -1;
	if (obj == NULL)
		return 0;
	r = *out = xzalloc(sizeof **out);
	mark = sj_push_key(j, "intelRdt");
	if (sj_string(j, obj, "closID", SJ_OPTIONAL, &r->clos_id) < 0 ||
	    sj_strv(j, obj, "schemata", SJ_OPTIONAL, NULL, &r->schemata, &r->n_schemata, NULL) < 0 ||
	    sj_string(j, obj, "l3CacheSchema", SJ_OPTIONAL, &r->l3_cache_schema) < 0 ||
	    sj_string(j, obj, "memBwSchema", SJ_OPTIONAL, &r->mem_bw_schema) < 0 ||
	    sj_bool(j, obj, "enableMonitoring", &r->enable_monitoring, &r->has_enable_monitoring) < 0)
		return -1;
	sj_pop(j, mark);
	return 0;
}

static int parse_personality(struct spec_json *j, yajl_val linux_, struct spec_personality **out)
{
	yajl_val obj;
	size_t mark;

	if (sj_object(j, linux_, "personality", SJ_OPTIONAL, &obj) < 0)
		return -1;
	if (obj == NULL)
		return 0;
	*out = xzalloc(sizeof **out);
	mark = sj_push_key(j, "personality");
	if (sj_enum_string(j, obj, "domain", SJ_OPTIONAL, personality_domain_names, &(*out)->domain) < 0 ||
	    sj_strv(j, obj, "flags", SJ_OPTIONAL, NULL, &(*out)->flags, &(*out)->n_flags, NULL) < 0)
		return -1;
	sj_pop(j, mark);
	return 0;
}

static int parse_memory_policy(struct spec_json *j, yajl_val linux_, struct spec_memory_policy **out)
{
	yajl_val obj;
	size_t mark;

	if (sj_object(j, linux_, "memoryPolicy", SJ_OPTIONAL, &obj) < 0)
		return -1;
	if (obj == NULL)
		return 0;
	*out = xzalloc(sizeof **out);
	mark = sj_push_key(j, "memoryPolicy");
	if (sj_enum_string(j, obj, "mode", SJ_OPTIONAL, memory_policy_mode_names, &(*out)->mode) < 0 ||
	    sj_string(j, obj, "nodes", SJ_OPTIONAL, &(*out)->nodes) < 0 ||
	    sj_strv(j, obj, "flags", SJ_OPTIONAL, memory_policy_flag_names, &(*out)->flags, &(*out)->n_flags, NULL) < 0)
		return -1;
	sj_pop(j, mark);
	return 0;
}

static int parse_linux_body(struct spec_json *j, yajl_val obj, struct spec_linux *l)
{
	if (sj_object_array(j, obj, "namespaces", SJ_OPTIONAL, sizeof(struct spec_namespace), parse_namespace,
			    (void **)&l->namespaces, &l->n_namespaces) < 0 ||
	    check_namespaces_unique(j, l) < 0 ||
	    sj_idmappings(j, obj, "uidMappings", &l->uid_mappings, &l->n_uid_mappings) < 0 ||
	    sj_idmappings(j, obj, "gidMappings", &l->gid_mappings, &l->n_gid_mappings) < 0 ||
	    parse_time_offsets(j, obj, &l->time_offsets) < 0 ||
	    sj_object_array(j, obj, "devices", SJ_OPTIONAL, sizeof(struct spec_device), parse_device,
			    (void **)&l->devices, &l->n_devices) < 0 ||
	    sj_object_map(j, obj, "netDevices", sizeof(struct spec_net_device), parse_net_device,
			  (void **)&l->net_devices, &l->n_net_devices) < 0 ||
	    sj_string(j, obj, "cgroupsPath", SJ_OPTIONAL, &l->cgroups_path) < 0 ||
	    spec_resources_parse(j, obj, &l->resources) < 0 ||
	    sj_enum_string(j, obj, "rootfsPropagation", SJ_OPTIONAL, rootfs_propagation_names, &l->rootfs_propagation) <
		0 ||
	    spec_seccomp_parse(j, obj, &l->seccomp) < 0 ||
	    sj_string_map(j, obj, "sysctl", &l->sysctl, &l->n_sysctl) < 0 ||
	    sj_strv(j, obj, "maskedPaths", SJ_OPTIONAL, NULL, &l->masked_paths, &l->n_masked_paths,
		    &l->has_masked_paths) < 0 ||
	    sj_strv(j, obj, "readonlyPaths", SJ_OPTIONAL, NULL, &l->readonly_paths, &l->n_readonly_paths,
		    &l->has_readonly_paths) < 0 ||
	    sj_string(j, obj, "mountLabel", SJ_OPTIONAL, &l->mount_label) < 0 ||
	    parse_intel_rdt(j, obj, &l->intel_rdt) < 0 || parse_personality(j, obj, &l->personality) < 0 ||
	    parse_memory_policy(j, obj, &l->memory_policy) < 0)
		return -1;
	return 0;
}

int spec_linux_parse(struct spec_json *j, yajl_val parent, struct spec_linux **out)
{
	yajl_val obj;
	size_t mark;

	if (sj_object(j, parent, "linux", SJ_OPTIONAL, &obj) < 0)
		return -1;
	if (obj == NULL)
		return 0;
	*out = xzalloc(sizeof **out);
	mark = sj_push_key(j, "linux");
	if (parse_linux_body(j, obj, *out) < 0)
		return -1;
	sj_pop(j, mark);
	return 0;
}

static void linux_extras_free(struct spec_linux *l)
{
	if (l->time_offsets) {
		free(l->time_offsets->monotonic);
		free(l->time_offsets->boottime);
		free(l->time_offsets);
	}
	if (l->intel_rdt) {
		free(l->intel_rdt->clos_id);
		fy_strv_free(l->intel_rdt->schemata);
		free(l->intel_rdt->l3_cache_schema);
		free(l->intel_rdt->mem_bw_schema);
		free(l->intel_rdt);
	}
	if (l->personality) {
		free(l->personality->domain);
		fy_strv_free(l->personality->flags);
		free(l->personality);
	}
	if (l->memory_policy) {
		free(l->memory_policy->mode);
		free(l->memory_policy->nodes);
		fy_strv_free(l->memory_policy->flags);
		free(l->memory_policy);
	}
}

void spec_linux_free(struct spec_linux *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n_namespaces; i++)
		free(l->namespaces[i].path);
	free(l->namespaces);
	free(l->uid_mappings);
	free(l->gid_mappings);
	for (size_t i = 0; i < l->n_devices; i++) {
		free(l->devices[i].type);
		free(l->devices[i].path);
	}
	free(l->devices);
	for (size_t i = 0; i < l->n_net_devices; i++) {
		free(l->net_devices[i].host_name);
		free(l->net_devices[i].name);
	}
	free(l->net_devices);
	free(l->cgroups_path);
	spec_resources_free(l->resources);
	free(l->rootfs_propagation);
	spec_seccomp_free(l->seccomp);
	spec_kv_free(l->sysctl, l->n_sysctl);
	fy_strv_free(l->masked_paths);
	fy_strv_free(l->readonly_paths);
	free(l->mount_label);
	linux_extras_free(l);
	free(l);
}
