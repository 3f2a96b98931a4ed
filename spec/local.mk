# spec/: the OCI data model (config.json, state, features) <-> C structs, with yajl.
libfoundry_a_SOURCES += \
	spec/config.h spec/config-internal.h spec/config.c \
	spec/config-process.c spec/config-linux.c spec/config-seccomp.c spec/config-resources.c \
	spec/json.c spec/json.h spec/emit.c spec/emit.h \
	spec/state.c spec/state.h
