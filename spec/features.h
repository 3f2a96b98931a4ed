/* The features document (features.md, features-linux.md): what `foundry features` prints
 * so that podman and containerd can tell what this runtime and this host support. */
#ifndef FOUNDRY_SPEC_FEATURES_H
#define FOUNDRY_SPEC_FEATURES_H

#include <stddef.h>

/* Pretty-printed like `runc features` (four-space indent), ending with a newline.
 * Capabilities come from libcap and seccomp architectures and flags from libseccomp, so
 * the document describes this host. */
char *spec_features_to_json(size_t *len);

#endif
