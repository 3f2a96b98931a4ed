/* The section parsers and destructors of spec/config*.c.  Not for use outside spec/:
 * the runtime calls spec_config_load() and reads the structs. */
#ifndef FOUNDRY_SPEC_CONFIG_INTERNAL_H
#define FOUNDRY_SPEC_CONFIG_INTERNAL_H

#include <yajl/yajl_gen.h>

#include "spec/config.h"
#include "spec/json.h"

/* Each parser reads the member of `parent` it is named after ("process", "linux",
 * "resources"), leaves *out NULL when it is absent, and may leave a half-filled struct
 * in *out on error: the matching free function copes with that. */
int spec_process_parse(struct spec_json *j, yajl_val parent, struct spec_process **out);
void spec_process_free(struct spec_process *process);

int spec_linux_parse(struct spec_json *j, yajl_val parent, struct spec_linux **out);
void spec_linux_free(struct spec_linux *linux_);

int spec_seccomp_parse(struct spec_json *j, yajl_val parent, struct spec_seccomp **out);
void spec_seccomp_free(struct spec_seccomp *seccomp);

int spec_resources_parse(struct spec_json *j, yajl_val parent, struct spec_resources **out);
void spec_resources_free(struct spec_resources *resources);

/* Emitters of config-emit*.c. */
void spec_emit_linux(yajl_gen g, const struct spec_linux *linux_);
void spec_emit_idmappings(yajl_gen g, const char *key, const struct spec_id_mapping *m, size_t n);

/* Enumerations shared by the parser, the emitter and `features`, NULL-terminated. */
extern const char *const spec_namespace_names[];
extern const char *const spec_seccomp_action_names[];
extern const char *const spec_seccomp_operator_names[];
extern const char *const spec_seccomp_arch_names[];
extern const char *const spec_seccomp_flag_names[];
extern const char *const spec_hook_stage_names[];

#endif
