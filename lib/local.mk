# libfoundry: everything that does work.  A static convenience library linked into both
# binaries and the unit tests, so tests reach internal functions without an export list.
noinst_LIBRARIES += libfoundry.a
libfoundry_a_CFLAGS = $(AM_CFLAGS) $(YAJL_CFLAGS) $(SECCOMP_CFLAGS) $(CAP_CFLAGS) $(BPF_CFLAGS)
libfoundry_a_SOURCES = \
	lib/error.c lib/error.h \
	lib/util.c lib/util.h
