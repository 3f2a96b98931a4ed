# libfoundry: everything that does work.  A static convenience library linked into both
# binaries and the unit tests, so tests reach internal functions without an export list.
noinst_LIBRARIES += libfoundry.a
libfoundry_a_CFLAGS = $(AM_CFLAGS) $(YAJL_CFLAGS) $(SECCOMP_CFLAGS) $(CAP_CFLAGS) $(BPF_CFLAGS) $(MNL_CFLAGS)
libfoundry_a_SOURCES = \
	lib/error.c lib/error.h \
	lib/util.c lib/util.h
libfoundry_a_SOURCES += \
	lib/sys.c lib/sys.h \
	lib/state.c lib/state.h \
	lib/sync.c lib/sync.h \
	lib/hooks.c lib/hooks.h \
	lib/mounts.c lib/mounts.h \
	lib/rootfs.c lib/rootfs.h lib/rootfs-cgroup.c lib/rootfs-cgroup.h \
	lib/devices.c lib/devices.h \
	lib/namespaces.c lib/namespaces.h \
	lib/process.c lib/process.h \
	lib/netlink.c lib/netlink.h \
	lib/spawn.c lib/spawn.h \
	lib/init.c lib/init.h lib/init-security.c lib/init-security.h \
	lib/container.c lib/container.h lib/container-internal.h lib/container-ops.c \
	lib/exec.c lib/exec.h
