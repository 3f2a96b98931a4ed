# C unit tests (TAP).  Each area adds its programs here or in its own fragment:
#   check_PROGRAMS += tests/unit/NAME-test
#   tests_unit_NAME_test_SOURCES = tests/unit/NAME-test.c tests/unit/tap.h
#   tests_unit_NAME_test_LDADD = $(FY_LIBS)
#   TESTS += tests/unit/NAME-test
check_PROGRAMS += tests/unit/error-test
tests_unit_error_test_SOURCES = tests/unit/error-test.c tests/unit/tap.h
tests_unit_error_test_LDADD = $(FY_LIBS)
TESTS += tests/unit/error-test

# The runtime core's pure parts: the mount plan, ids, signals, root-confined path resolution.
check_PROGRAMS += tests/unit/mounts-test tests/unit/runtime-test
tests_unit_mounts_test_SOURCES = tests/unit/mounts-test.c tests/unit/tap.h
tests_unit_mounts_test_LDADD = $(FY_LIBS)
tests_unit_runtime_test_SOURCES = tests/unit/runtime-test.c tests/unit/tap.h
tests_unit_runtime_test_LDADD = $(FY_LIBS)
TESTS += tests/unit/mounts-test tests/unit/runtime-test
