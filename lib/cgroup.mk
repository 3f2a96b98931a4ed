# cgroup managers (v1, v2, hybrid, none) and the v2 device program.
libfoundry_a_SOURCES += \
	lib/cgroup.c lib/cgroup.h lib/cgroup-internal.h \
	lib/cgroup-plan.c lib/cgroup-plan.h \
	lib/cgroup-path.c lib/cgroup-path.h \
	lib/cgroup-fs.c \
	lib/cgroup-v1.c lib/cgroup-v2.c lib/cgroup-none.c \
	lib/cgroup-stats.c \
	lib/cgroup-device-bpf.c lib/cgroup-device-bpf.h \
	lib/container-cgroup.c

# Unit tests: the pure planning layer and path resolution, the device program compiler,
# and create/apply/update/destroy against a temp dir standing in for /sys/fs/cgroup.
check_PROGRAMS += tests/unit/cgroup-plan-test tests/unit/cgroup-path-test tests/unit/cgroup-device-test \
	tests/unit/cgroup-apply-test
tests_unit_cgroup_plan_test_SOURCES = tests/unit/cgroup-plan-test.c tests/unit/tap.h
tests_unit_cgroup_plan_test_LDADD = $(FY_LIBS)
tests_unit_cgroup_path_test_SOURCES = tests/unit/cgroup-path-test.c tests/unit/tap.h
tests_unit_cgroup_path_test_LDADD = $(FY_LIBS)
tests_unit_cgroup_device_test_SOURCES = tests/unit/cgroup-device-test.c tests/unit/tap.h
tests_unit_cgroup_device_test_LDADD = $(FY_LIBS)
tests_unit_cgroup_apply_test_SOURCES = tests/unit/cgroup-apply-test.c tests/unit/tap.h
tests_unit_cgroup_apply_test_LDADD = $(FY_LIBS)
TESTS += tests/unit/cgroup-plan-test tests/unit/cgroup-path-test tests/unit/cgroup-device-test \
	tests/unit/cgroup-apply-test

# The pure cgroup v2 run (tests/cg2/run.sh boots a VM with ../shared/tools/cg2vm.sh); the
# integrator's test command calls it.  tests/bats/cgroups.bats runs with the bats suite.
EXTRA_DIST += tests/cg2/run.sh tests/cg2/payload.sh tests/bats/cgroups.bats
