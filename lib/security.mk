# capabilities, seccomp, sysctl, scheduling attributes, LSM checks.
libfoundry_a_SOURCES += \
	lib/caps.c lib/caps.h \
	lib/seccomp.c lib/seccomp.h \
	lib/seccomp-notify.c lib/seccomp-notify.h \
	lib/sysctl.c lib/sysctl.h \
	lib/sched.c lib/sched.h \
	lib/lsm.c lib/lsm.h

# Unit tests (TAP).  The capability and seccomp ones also apply their plans in a forked
# child: no privilege is needed except for the capability sequence (root, else skipped).
check_PROGRAMS += tests/unit/caps-test tests/unit/seccomp-test tests/unit/sysctl-test \
	tests/unit/sched-test tests/unit/lsm-test
TESTS += tests/unit/caps-test tests/unit/seccomp-test tests/unit/sysctl-test \
	tests/unit/sched-test tests/unit/lsm-test
tests_unit_caps_test_SOURCES = tests/unit/caps-test.c tests/unit/tap.h tests/helpers/log-capture.h
tests_unit_caps_test_LDADD = $(FY_LIBS)
tests_unit_seccomp_test_SOURCES = tests/unit/seccomp-test.c tests/unit/tap.h tests/helpers/log-capture.h
tests_unit_seccomp_test_LDADD = $(FY_LIBS)
tests_unit_sysctl_test_SOURCES = tests/unit/sysctl-test.c tests/unit/tap.h
tests_unit_sysctl_test_LDADD = $(FY_LIBS)
tests_unit_sched_test_SOURCES = tests/unit/sched-test.c tests/unit/tap.h
tests_unit_sched_test_LDADD = $(FY_LIBS)
tests_unit_lsm_test_SOURCES = tests/unit/lsm-test.c tests/unit/tap.h tests/helpers/log-capture.h
tests_unit_lsm_test_LDADD = $(FY_LIBS)

# The seccomp agent tests/bats/security.bats hands to listenerPath (built by `make check`).
check_PROGRAMS += tests/helpers/seccomp-agent
tests_helpers_seccomp_agent_SOURCES = tests/helpers/seccomp-agent.c
