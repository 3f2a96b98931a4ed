# spec/: the OCI data model (config.json, state, features) <-> C structs, with yajl.
libfoundry_a_SOURCES += \
	spec/config.h spec/config-internal.h spec/config.c \
	spec/config-process.c spec/config-linux.c spec/config-seccomp.c spec/config-resources.c \
	spec/json.c spec/json.h spec/emit.c spec/emit.h \
	spec/config-emit.c spec/config-emit-linux.c spec/config-default.c \
	spec/state.c spec/state.h \
	spec/features.c spec/features.h

# Unit tests: the parser against real and invalid configs, the state and features documents.
EXTRA_DIST += tests/unit/fixtures
check_PROGRAMS += tests/unit/spec-config-test tests/unit/spec-state-test tests/unit/spec-features-test
tests_unit_spec_config_test_SOURCES = tests/unit/spec-config-test.c tests/unit/tap.h
tests_unit_spec_config_test_LDADD = $(FY_LIBS)
tests_unit_spec_state_test_SOURCES = tests/unit/spec-state-test.c tests/unit/tap.h
tests_unit_spec_state_test_LDADD = $(FY_LIBS)
tests_unit_spec_features_test_SOURCES = tests/unit/spec-features-test.c tests/unit/tap.h
tests_unit_spec_features_test_CFLAGS = $(AM_CFLAGS) $(YAJL_CFLAGS)
tests_unit_spec_features_test_LDADD = $(FY_LIBS)
TESTS += tests/unit/spec-config-test tests/unit/spec-state-test tests/unit/spec-features-test
