#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "lib/sysctl.h"
#include "lib/util.h"
#include "tests/unit/tap.h"

static void test_paths(void)
{
	struct fy_error *err = NULL;
	char *p;

	p = sysctl_key_to_path("net.ipv4.ip_forward", &err);
	tap_is_str(p, "net/ipv4/ip_forward", "dots separate components");
	free(p);
	p = sysctl_key_to_path("net/ipv4/ip_forward", &err);
	tap_is_str(p, "net/ipv4/ip_forward", "slashes separate components");
	free(p);
	p = sysctl_key_to_path("net.ipv4.conf.eth0/1.rp_filter", &err);
	tap_is_str(p, "net/ipv4/conf/eth0.1/rp_filter", "dot first: a slash is a literal dot (sysctl.d(5))");
	free(p);
	p = sysctl_key_to_path("net/ipv4/conf/eth0.1/rp_filter", &err);
	tap_is_str(p, "net/ipv4/conf/eth0.1/rp_filter", "slash first: dots stay in names");
	free(p);

	static const char *const bad[] = { "", "net..ipv4", "net.ipv4.", ".net", "net/../kernel/panic", "net/./x" };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		p = sysctl_key_to_path(bad[i], &err);
		tap_ok(p == NULL && err != NULL, "malformed key \"%s\" is refused", bad[i]);
		free(p);
		fy_error_free(&err);
	}
}

static void check(const char *key, bool net, bool ipc, bool uts, bool want_ok)
{
	struct sysctl_namespaces ns = { .net = net, .ipc = ipc, .uts = uts };
	struct fy_error *err = NULL;
	int r = sysctl_check_key(key, &ns, &err);

	tap_ok(want_ok ? r == 0 : r < 0, "%s with net=%d ipc=%d uts=%d: %s", key, net, ipc, uts,
	       want_ok ? "allowed" : "refused");
	fy_error_free(&err);
}

static void test_rules(void)
{
	check("net.ipv4.ip_forward", true, false, false, true);
	check("net.ipv4.ip_forward", false, true, true, false);
	check("net.core.somaxconn", true, false, false, true);
	static const char *const ipc[] = { "kernel.msgmax",    "kernel.msgmnb",          "kernel.msgmni",
					   "kernel.sem",       "kernel.shmall",          "kernel.shmmax",
					   "kernel.shmmni",    "kernel.shm_rmid_forced", "fs.mqueue.queues_max",
					   "fs/mqueue/msg_max" };
	for (size_t i = 0; i < ARRAY_SIZE(ipc); i++) {
		check(ipc[i], false, true, false, true);
		check(ipc[i], true, false, true, false);
	}
	check("kernel.hostname", false, false, true, true);
	check("kernel.domainname", false, false, true, true);
	check("kernel.hostname", true, true, false, false);
	check("kernel.shm_next_id_not_a_key", true, true, true, false);
	check("kernel.panic", true, true, true, false);
	check("vm.swappiness", true, true, true, false);
	check("fs.file-max", true, true, true, false);
	check("fs.mqueue", true, true, true, false);
	check("netfilter.x", true, true, true, false);

	struct sysctl_namespaces ns = { 0 };
	struct fy_error *err = NULL;
	sysctl_check_key("kernel.shmmax", &ns, &err);
	tap_is_str(err ? err->msg : NULL,
		   "sysctl \"kernel.shmmax\": the container needs its own ipc namespace to set it (it would change the "
		   "host's value): Invalid argument",
		   "the message names the key and the namespace");
	fy_error_free(&err);
	sysctl_check_key("vm.swappiness", &ns, &err);
	tap_is_str(err ? err->msg : NULL,
		   "sysctl \"vm.swappiness\": not scoped by a namespace of the container: it would change the host's "
		   "value: Invalid argument",
		   "a key no namespace scopes");
	fy_error_free(&err);
}

static void test_validate(void)
{
	struct spec_namespace nss[] = {
		{ .type = SPEC_NS_NETWORK, .path = NULL },
		{ .type = SPEC_NS_IPC, .path = "/proc/self/ns/ipc" }, /* the runtime's own: not the container's */
		{ .type = SPEC_NS_MOUNT },
	};
	struct spec_kv ok_kv[] = { { "net.ipv4.ip_forward", "1" } };
	struct spec_kv ipc_kv[] = { { "net.ipv4.ip_forward", "1" }, { "kernel.shmmax", "1024" } };
	struct spec_linux l = { .namespaces = nss, .n_namespaces = 3, .sysctl = ok_kv, .n_sysctl = 1 };
	struct spec_config c = { .linux_ = &l };
	struct sysctl_namespaces ns;
	struct fy_error *err = NULL;

	tap_is_int(sysctl_namespaces_of(&c, &ns, &err), 0, "namespaces of a config");
	tap_ok(ns.net && !ns.ipc && !ns.uts, "a new netns is the container's; an ipc path to the runtime's own is not");
	tap_is_int(sysctl_validate(&c, &err), 0, "net.* with a new netns validates");
	l.sysctl = ipc_kv;
	l.n_sysctl = 2;
	tap_is_int(sysctl_validate(&c, &err), -1, "kernel.shmmax while sharing the runtime's ipc namespace is refused");
	tap_ok(err && strncmp(err->msg, ".linux.sysctl: sysctl \"kernel.shmmax\"", 37) == 0, "... %s",
	       err ? err->msg : "");
	fy_error_free(&err);
	nss[1].path = "/nonexistent/ns";
	tap_is_int(sysctl_validate(&c, &err), -1, "a namespace path that does not exist is an error");
	fy_error_free(&err);
	l.n_sysctl = 0;
	tap_is_int(sysctl_validate(&c, &err), 0, "no sysctl, nothing to check");
	struct spec_config empty = { 0 };
	tap_is_int(sysctl_validate(&empty, &err), 0, "no linux section");
}

int main(void)
{
	test_paths();
	test_rules();
	test_validate();
	return tap_done();
}
