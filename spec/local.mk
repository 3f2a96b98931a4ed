# spec/: the OCI data model (config.json, state, features) <-> C structs, with yajl.
libfoundry_a_SOURCES +=
