# xdp/ and foundry-xdp-hook: the XDP forwarder and the OCI hook that programs it.
#
# The forwarder is compiled with clang -target bpf against vmlinux.h (generated from the
# build machine's kernel BTF) and embedded in the hook through a bpftool skeleton.  All
# three are generated in the build directory.

BPF_CFLAGS_TARGET = -g -O2 -Wall -Werror -target bpf -D__TARGET_ARCH_x86

xdp/vmlinux.h:
	$(AM_V_GEN)$(MKDIR_P) xdp && \
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && mv $@.tmp $@

xdp/forwarder.bpf.o: $(srcdir)/xdp/forwarder.bpf.c $(srcdir)/xdp/fdb.h xdp/vmlinux.h
	$(AM_V_GEN)$(MKDIR_P) xdp && \
	$(CLANG) $(BPF_CFLAGS_TARGET) -I$(builddir)/xdp -I$(top_srcdir) -c $(srcdir)/xdp/forwarder.bpf.c -o $@

xdp/forwarder.skel.h: xdp/forwarder.bpf.o
	$(AM_V_GEN)$(BPFTOOL) gen skeleton $< name forwarder > $@.tmp && mv $@.tmp $@

BUILT_SOURCES += xdp/forwarder.skel.h
CLEANFILES += xdp/vmlinux.h xdp/forwarder.bpf.o xdp/forwarder.skel.h
EXTRA_DIST += xdp/forwarder.bpf.c xdp/README.md \
	tests/bats/network.bats tests/bats/network-helpers.bash \
	tests/bench/network-bench.sh tests/bench/network-pingpong.c

# The hook's library part: everything that does work lives in libfoundry.
libfoundry_a_SOURCES += \
	xdp/fdb.h \
	xdp/netconf.c xdp/netconf.h \
	xdp/ipam.c xdp/ipam.h \
	xdp/loader.c xdp/loader.h \
	xdp/endpoint.c xdp/endpoint.h
nodist_libfoundry_a_SOURCES = xdp/forwarder.skel.h

pkglibexec_PROGRAMS += foundry-xdp-hook
foundry_xdp_hook_SOURCES = \
	cmd/foundry-xdp-hook/main.c cmd/foundry-xdp-hook/hook.h \
	cmd/foundry-xdp-hook/admin.c
foundry_xdp_hook_CFLAGS = $(AM_CFLAGS) $(YAJL_CFLAGS) $(BPF_CFLAGS) $(MNL_CFLAGS)
foundry_xdp_hook_LDADD = $(FY_LIBS) $(MNL_LIBS)

dist_man_MANS += man/foundry-xdp-hook.8

# podman hooks.d: enables the hook for containers annotated org.foundry.net.enable=true
# (one file per stage, as hooks.d wants).
hooksddir = $(datadir)/containers/oci/hooks.d
hooksd_DATA = xdp/hooks.d/foundry-xdp-hook.json xdp/hooks.d/foundry-xdp-hook-poststop.json
CLEANFILES += $(hooksd_DATA)
EXTRA_DIST += xdp/hooks.d/foundry-xdp-hook.json.in xdp/hooks.d/foundry-xdp-hook-poststop.json.in
xdp/hooks.d/%.json: $(srcdir)/xdp/hooks.d/%.json.in Makefile
	$(AM_V_GEN)$(MKDIR_P) xdp/hooks.d && \
	sed -e 's|@pkglibexecdir[@]|$(pkglibexecdir)|g' $< > $@

check_PROGRAMS += tests/unit/netconf-test tests/unit/ipam-test
tests_unit_netconf_test_SOURCES = tests/unit/netconf-test.c tests/unit/tap.h
tests_unit_netconf_test_LDADD = $(FY_LIBS)
tests_unit_ipam_test_SOURCES = tests/unit/ipam-test.c tests/unit/tap.h
tests_unit_ipam_test_LDADD = $(FY_LIBS)
TESTS += tests/unit/netconf-test tests/unit/ipam-test
