# netDevices: moving host interfaces into the container (libmnl).
libfoundry_a_SOURCES += lib/netdev.c lib/netdev.h

# Unit tests (TAP) of the pure parts: names, templates, which addresses move, validation.
check_PROGRAMS += tests/unit/netdev-test
TESTS += tests/unit/netdev-test
tests_unit_netdev_test_SOURCES = tests/unit/netdev-test.c tests/unit/tap.h
tests_unit_netdev_test_LDADD = $(FY_LIBS)
