# spec/: the OCI data model (config.json, state, features) <-> C structs, with yajl.
libfoundry_a_SOURCES += \
	spec/config.h spec/config-internal.h spec/config.c \
	spec/config-process.c spec/config-linux.c spec/config-seccomp.c spec/config-resources.c \
	spec/json.c spec/json.h spec/emit.c spec/emit.h \
	spec/config-emit.c spec/config-emit-linux.c spec/config-default.c \
	spec/state.c spec/state.h \
	spec/features.c spec/features.h
