#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/lsm.h"
#include "lib/util.h"
#include "tests/helpers/log-capture.h"
#include "tests/unit/tap.h"

static void write_fake(const char *root, const char *rel, const char *content)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", root, rel);
	_cleanup_free_ char *dir = xstrdup(path);
	struct fy_error *err = NULL;

	*strrchr(dir, '/') = '\0';
	if (fy_mkdir_p(dir, 0755, &err) < 0 || fy_write_file(path, content, strlen(content), 0644, &err) < 0)
		abort();
}

static void test_probe(void)
{
	char root[] = "/tmp/foundry-lsm-test.XXXXXX";
	struct lsm_host host;

	if (mkdtemp(root) == NULL)
		abort();
	lsm_probe(root, &host);
	tap_ok(!host.apparmor && !host.selinux, "an empty sysfs: neither LSM");
	write_fake(root, "sys/module/apparmor/parameters/enabled", "N\n");
	lsm_probe(root, &host);
	tap_ok(!host.apparmor, "AppArmor built in but disabled (enabled=N)");
	write_fake(root, "sys/module/apparmor/parameters/enabled", "Y\n");
	write_fake(root, "sys/fs/selinux/enforce", "1");
	lsm_probe(root, &host);
	tap_ok(host.apparmor && host.selinux, "enabled=Y and selinuxfs: both");

	_cleanup_free_ char *cmd = xasprintf("rm -rf '%s'", root);
	tap_is_int(system(cmd), 0, "temp dir removed");
}

static void test_validate(void)
{
	struct spec_process proc = { .apparmor_profile = "foundry-default" };
	struct spec_linux l = { 0 };
	struct spec_config c = { .process = &proc, .linux_ = &l };
	struct lsm_host none = { 0 }, aa = { .apparmor = true }, se = { .selinux = true };
	struct fy_error *err = NULL;
	char *log;

	tap_is_int(lsm_validate_for(&c, &none, &err), -1, "an AppArmor profile without AppArmor is refused");
	tap_is_str(
	    err ? err->msg : NULL,
	    "process.apparmorProfile \"foundry-default\": AppArmor is not enabled on this host: Invalid argument",
	    "... with a message naming the field and the profile");
	fy_error_free(&err);
	tap_is_int(lsm_validate_for(&c, &aa, &err), 0, "with AppArmor it validates");

	proc.apparmor_profile = NULL;
	proc.selinux_label = "system_u:system_r:container_t:s0";
	tap_is_int(lsm_validate_for(&c, &aa, &err), -1, "an SELinux label without SELinux is refused");
	tap_is_str(err ? err->msg : NULL,
		   "process.selinuxLabel \"system_u:system_r:container_t:s0\": SELinux is not enabled on this host: "
		   "Invalid argument",
		   "... with a message");
	fy_error_free(&err);
	tap_is_int(lsm_validate_for(&c, &se, &err), 0, "with SELinux it validates");

	proc.selinux_label = "";
	proc.apparmor_profile = "";
	tap_is_int(lsm_validate_for(&c, &none, &err), 0, "empty strings ask for nothing");

	l.mount_label = "system_u:object_r:container_file_t:s0";
	log_capture_begin();
	tap_is_int(lsm_validate_for(&c, &none, &err), 0,
		   "a mountLabel without SELinux is not an error (runc ignores it)");
	log = log_capture_take();
	tap_ok(strstr(log, "warning: linux.mountLabel \"system_u:object_r:container_file_t:s0\": SELinux is not "
			   "enabled on this host, ignored") != NULL,
	       "... but a warning");
	free(log);

	char *opt = lsm_mount_label_option(l.mount_label, &se);
	tap_is_str(opt, "context=\"system_u:object_r:container_file_t:s0\"", "the mount option with SELinux");
	free(opt);
	tap_ok(lsm_mount_label_option(l.mount_label, &none) == NULL, "no mount option without SELinux");

	struct lsm_host host;
	lsm_probe("", &host);
	tap_diag("this host: AppArmor %s, SELinux %s", host.apparmor ? "on" : "off", host.selinux ? "on" : "off");
	struct spec_process p2 = { .apparmor_profile = "x" };
	struct spec_config c2 = { .process = &p2 };
	tap_is_int(lsm_validate(&c2, &err), host.apparmor ? 0 : -1, "lsm_validate probes the running host");
	fy_error_free(&err);
}

int main(void)
{
	test_probe();
	test_validate();
	return tap_done();
}
