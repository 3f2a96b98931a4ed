/* The OCI runtime-spec v1.3.0 configuration (config.md, config-linux.md) as C structs.
 *
 * Conventions, so that later code never needs to touch the parser to use a field:
 *  - strings are char * (NULL when absent);
 *  - arrays are `T *name; size_t n_name;` (NULL/0 when absent); arrays of strings are also
 *    NULL-terminated (process.args goes straight to execve);
 *  - string maps (annotations, sysctl, unified, env-like maps) are spec_kv arrays, in
 *    document order;
 *  - an optional scalar has `bool has_name` beside it;
 *  - an optional object is a pointer (NULL when absent).
 * Sections for other platforms (windows, solaris, vm, zos, freebsd) are not modelled:
 * Foundry runs Linux containers and the spec lets a runtime ignore them.
 */
#ifndef FOUNDRY_SPEC_CONFIG_H
#define FOUNDRY_SPEC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fy_error;

struct spec_kv {
	char *key;
	char *value;
};

/* ---- process ------------------------------------------------------------------ */

struct spec_rlimit {
	char *type; /* "RLIMIT_NOFILE", ... */
	uint64_t soft;
	uint64_t hard;
};

struct spec_capabilities {
	/* NULL set: absent (not the same as an empty array, which means "none"). */
	char **bounding;
	size_t n_bounding;
	bool has_bounding;
	char **effective;
	size_t n_effective;
	bool has_effective;
	char **inheritable;
	size_t n_inheritable;
	bool has_inheritable;
	char **permitted;
	size_t n_permitted;
	bool has_permitted;
	char **ambient;
	size_t n_ambient;
	bool has_ambient;
};

struct spec_user {
	uint32_t uid;
	uint32_t gid;
	bool has_umask;
	uint32_t umask;
	uint32_t *additional_gids;
	size_t n_additional_gids;
	char *username; /* windows only; kept for completeness */
};

struct spec_console_size {
	uint32_t height;
	uint32_t width;
};

struct spec_scheduler {
	char *policy; /* SCHED_OTHER, SCHED_FIFO, ... */
	bool has_nice;
	int32_t nice;
	bool has_priority;
	int32_t priority;
	char **flags; /* SCHED_FLAG_* */
	size_t n_flags;
	bool has_runtime;
	uint64_t runtime;
	bool has_deadline;
	uint64_t deadline;
	bool has_period;
	uint64_t period;
};

struct spec_io_priority {
	char *class_; /* IOPRIO_CLASS_RT | IOPRIO_CLASS_BE | IOPRIO_CLASS_IDLE */
	int32_t priority;
};

struct spec_exec_cpu_affinity {
	char *initial; /* cpu list "0-3,7" */
	char *final;
};

struct spec_process {
	bool terminal;
	struct spec_console_size *console_size;
	struct spec_user user;
	char **args;
	size_t n_args;
	char *command_line; /* windows only */
	char **env;         /* "KEY=value" */
	size_t n_env;
	char *cwd;
	struct spec_capabilities *capabilities;
	struct spec_rlimit *rlimits;
	size_t n_rlimits;
	bool no_new_privileges;
	char *apparmor_profile;
	bool has_oom_score_adj;
	int32_t oom_score_adj;
	struct spec_scheduler *scheduler;
	char *selinux_label;
	struct spec_io_priority *io_priority;
	struct spec_exec_cpu_affinity *exec_cpu_affinity;
};

/* ---- root, mounts, hooks ---------------------------------------------------------- */

struct spec_root {
	char *path;
	bool readonly;
};

struct spec_id_mapping {
	uint32_t container_id;
	uint32_t host_id;
	uint32_t size;
};

struct spec_mount {
	char *destination;
	char *source;
	char *type;
	char **options;
	size_t n_options;
	struct spec_id_mapping *uid_mappings; /* idmapped mounts */
	size_t n_uid_mappings;
	struct spec_id_mapping *gid_mappings;
	size_t n_gid_mappings;
};

struct spec_hook {
	char *path;
	char **args;
	size_t n_args;
	char **env;
	size_t n_env;
	bool has_timeout;
	int32_t timeout; /* seconds, > 0 */
};

enum spec_hook_stage {
	SPEC_HOOK_PRESTART,
	SPEC_HOOK_CREATE_RUNTIME,
	SPEC_HOOK_CREATE_CONTAINER,
	SPEC_HOOK_START_CONTAINER,
	SPEC_HOOK_POSTSTART,
	SPEC_HOOK_POSTSTOP,
	SPEC_HOOK_STAGE_COUNT,
};

struct spec_hooks {
	/* Indexed by enum spec_hook_stage. */
	struct spec_hook *stage[SPEC_HOOK_STAGE_COUNT];
	size_t n_stage[SPEC_HOOK_STAGE_COUNT];
};

/* The JSON name of a stage ("createRuntime"). */
const char *spec_hook_stage_name(enum spec_hook_stage stage);

/* ---- linux ------------------------------------------------------------------------ */

enum spec_namespace_type {
	SPEC_NS_PID,
	SPEC_NS_NETWORK,
	SPEC_NS_MOUNT,
	SPEC_NS_IPC,
	SPEC_NS_UTS,
	SPEC_NS_USER,
	SPEC_NS_CGROUP,
	SPEC_NS_TIME,
	SPEC_NS_COUNT,
};

struct spec_namespace {
	enum spec_namespace_type type;
	char *path; /* NULL: create a new one */
};

/* "pid", "network", ... and the CLONE_NEW* flag of each type. */
const char *spec_namespace_type_name(enum spec_namespace_type type);
int spec_namespace_clone_flag(enum spec_namespace_type type);

struct spec_device {
	char *type; /* "c", "b", "u", "p" */
	char *path;
	bool has_major;
	int64_t major;
	bool has_minor;
	int64_t minor;
	bool has_file_mode;
	uint32_t file_mode;
	bool has_uid;
	uint32_t uid;
	bool has_gid;
	uint32_t gid;
};

struct spec_device_cgroup {
	bool allow;
	char *type; /* "a", "c", "b"; NULL means all */
	bool has_major;
	int64_t major;
	bool has_minor;
	int64_t minor;
	char *access; /* "rwm" subset */
};

struct spec_memory {
	bool has_limit;
	int64_t limit;
	bool has_reservation;
	int64_t reservation;
	bool has_swap;
	int64_t swap;
	bool has_kernel;
	int64_t kernel;
	bool has_kernel_tcp;
	int64_t kernel_tcp;
	bool has_swappiness;
	uint64_t swappiness;
	bool has_disable_oom_killer;
	bool disable_oom_killer;
	bool has_use_hierarchy;
	bool use_hierarchy;
	bool has_check_before_update;
	bool check_before_update;
};

struct spec_cpu {
	bool has_shares;
	uint64_t shares;
	bool has_quota;
	int64_t quota;
	bool has_burst;
	uint64_t burst;
	bool has_period;
	uint64_t period;
	bool has_realtime_runtime;
	int64_t realtime_runtime;
	bool has_realtime_period;
	uint64_t realtime_period;
	char *cpus;
	char *mems;
	bool has_idle;
	int64_t idle;
};

struct spec_pids {
	bool has_limit;
	int64_t limit;
};

struct spec_weight_device {
	int64_t major;
	int64_t minor;
	bool has_weight;
	uint16_t weight;
	bool has_leaf_weight;
	uint16_t leaf_weight;
};

struct spec_throttle_device {
	int64_t major;
	int64_t minor;
	uint64_t rate;
};

struct spec_block_io {
	bool has_weight;
	uint16_t weight;
	bool has_leaf_weight;
	uint16_t leaf_weight;
	struct spec_weight_device *weight_device;
	size_t n_weight_device;
	struct spec_throttle_device *throttle_read_bps_device;
	size_t n_throttle_read_bps_device;
	struct spec_throttle_device *throttle_write_bps_device;
	size_t n_throttle_write_bps_device;
	struct spec_throttle_device *throttle_read_iops_device;
	size_t n_throttle_read_iops_device;
	struct spec_throttle_device *throttle_write_iops_device;
	size_t n_throttle_write_iops_device;
};

struct spec_hugepage_limit {
	char *page_size; /* "2MB" */
	uint64_t limit;
};

struct spec_net_priority {
	char *name;
	uint32_t priority;
};

struct spec_network_resources {
	bool has_class_id;
	uint32_t class_id;
	struct spec_net_priority *priorities;
	size_t n_priorities;
};

struct spec_rdma_limit {
	char *device; /* the map key */
	bool has_hca_handles;
	uint32_t hca_handles;
	bool has_hca_objects;
	uint32_t hca_objects;
};

struct spec_resources {
	struct spec_device_cgroup *devices;
	size_t n_devices;
	struct spec_memory *memory;
	struct spec_cpu *cpu;
	struct spec_pids *pids;
	struct spec_block_io *block_io;
	struct spec_hugepage_limit *hugepage_limits;
	size_t n_hugepage_limits;
	struct spec_network_resources *network;
	struct spec_rdma_limit *rdma;
	size_t n_rdma;
	struct spec_kv *unified;
	size_t n_unified;
};

struct spec_seccomp_arg {
	uint32_t index;
	uint64_t value;
	bool has_value_two;
	uint64_t value_two;
	char *op; /* SCMP_CMP_NE, ... */
};

struct spec_syscall {
	char **names;
	size_t n_names;
	char *action; /* SCMP_ACT_* */
	bool has_errno_ret;
	uint32_t errno_ret;
	struct spec_seccomp_arg *args;
	size_t n_args;
};

struct spec_seccomp {
	char *default_action;
	bool has_default_errno_ret;
	uint32_t default_errno_ret;
	char **architectures; /* SCMP_ARCH_* */
	size_t n_architectures;
	char **flags; /* SECCOMP_FILTER_FLAG_* */
	size_t n_flags;
	char *listener_path;
	char *listener_metadata;
	struct spec_syscall *syscalls;
	size_t n_syscalls;
};

struct spec_intel_rdt {
	char *clos_id;
	char **schemata;
	size_t n_schemata;
	char *l3_cache_schema;
	char *mem_bw_schema;
	bool has_enable_monitoring;
	bool enable_monitoring;
};

struct spec_personality {
	char *domain; /* LINUX | LINUX32 */
	char **flags;
	size_t n_flags;
};

struct spec_time_offset {
	bool has_secs;
	int64_t secs;
	bool has_nanosecs;
	uint32_t nanosecs;
};

struct spec_time_offsets {
	struct spec_time_offset *monotonic; /* NULL when absent */
	struct spec_time_offset *boottime;
};

struct spec_memory_policy {
	char *mode;  /* MPOL_* */
	char *nodes; /* node list "0-3" */
	char **flags;
	size_t n_flags;
};

struct spec_net_device {
	char *host_name; /* the map key: the interface on the host */
	char *name;      /* its name inside the container; NULL keeps host_name */
};

struct spec_linux {
	struct spec_namespace *namespaces;
	size_t n_namespaces;
	struct spec_id_mapping *uid_mappings;
	size_t n_uid_mappings;
	struct spec_id_mapping *gid_mappings;
	size_t n_gid_mappings;
	struct spec_time_offsets *time_offsets;
	struct spec_device *devices;
	size_t n_devices;
	struct spec_net_device *net_devices;
	size_t n_net_devices;
	char *cgroups_path;
	struct spec_resources *resources;
	char *rootfs_propagation; /* shared | slave | private | unbindable */
	struct spec_seccomp *seccomp;
	struct spec_kv *sysctl;
	size_t n_sysctl;
	char **masked_paths;
	size_t n_masked_paths;
	bool has_masked_paths;
	char **readonly_paths;
	size_t n_readonly_paths;
	bool has_readonly_paths;
	char *mount_label;
	struct spec_intel_rdt *intel_rdt;
	struct spec_personality *personality;
	struct spec_memory_policy *memory_policy;
};

/* ---- the whole configuration ------------------------------------------------------- */

struct spec_config {
	char *oci_version;
	struct spec_root *root;
	struct spec_mount *mounts;
	size_t n_mounts;
	struct spec_process *process;
	char *hostname;
	char *domainname;
	struct spec_hooks *hooks;
	struct spec_kv *annotations;
	size_t n_annotations;
	struct spec_linux *linux_;
};

/* Parses a config.json document.  `filename` only names the document in errors:
 *   config.json: .process.args: expected an array of strings, got a string
 * Unknown properties are ignored (config.md "Extensibility"); ociVersion must be 1.x. */
struct spec_config *spec_config_parse(const char *json, size_t len, const char *filename, struct fy_error **err);
/* Reads and parses <bundle>/config.json. */
struct spec_config *spec_config_load(const char *bundle, struct fy_error **err);
void spec_config_free(struct spec_config *config);
/* Frees a process taken out of a config (exec replaces the config's process). */
void spec_process_free(struct spec_process *process);
/* The document back as JSON, in runc's key order; `pretty` indents with a tab like
 * `runc spec`.  parse(to_json(x)) gives x back. */
char *spec_config_to_json(const struct spec_config *config, bool pretty, size_t *len);
/* The configuration `foundry spec` writes, the same as `runc spec`'s.  `rootless` applies
 * runc's rootless changes: a user namespace mapping uid/gid (the caller) to root, no
 * network namespace, /sys bind-mounted, no gid= mount options, no resources. */
struct spec_config *spec_config_default(bool rootless, uint32_t uid, uint32_t gid);
/* Writes <bundle>/config.json (pretty), refusing to replace an existing one with runc's
 * message "File config.json exists. Remove it first". */
int spec_config_write_new(const char *bundle, const struct spec_config *config, struct fy_error **err);
void spec_config_freep(struct spec_config **config);
#define _cleanup_config_ __attribute__((cleanup(spec_config_freep)))

/* Convenience lookups used all over the runtime. */
const struct spec_namespace *spec_config_namespace(const struct spec_config *config, enum spec_namespace_type type);
const char *spec_config_annotation(const struct spec_config *config, const char *key);

#endif
