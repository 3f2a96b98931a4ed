/* lib/netdev: the parts that need no privilege.  Interface names as the kernel checks them
 * (dev_valid_name, dev_alloc_name), which addresses move (config-linux.md "Network
 * Devices"), and netdev_validate's refusals with their messages.  Validation looks up host
 * devices by name: "lo" exists in every network namespace, "fy-nosuch0" in none. */
#include "config.h"

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "lib/netdev.h"
#include "lib/util.h"
#include "tests/unit/tap.h"

static void test_templates(void)
{
	tap_ok(netdev_name_is_template("eth%d"), "\"eth%%d\" is a template");
	tap_ok(netdev_name_is_template("%d"), "\"%%d\" alone is a template");
	tap_ok(netdev_name_is_template("c%dx"), "\"%%d\" may sit inside the name");
	tap_ok(!netdev_name_is_template("eth0"), "a plain name is not a template");
	tap_ok(!netdev_name_is_template("eth%s"), "\"%%s\" is not a template");
	tap_ok(!netdev_name_is_template("a%d%d"), "two '%%' are not a template (the kernel refuses them)");
	tap_ok(!netdev_name_is_template("eth%"), "a trailing '%%' is not a template");
}

static void test_names(void)
{
	static const char *const valid[] = { "eth0", "fyt123a", "a", "a.b", "a-b_c", "123456789012345", "x..y" };
	for (size_t i = 0; i < ARRAY_SIZE(valid); i++)
		tap_ok(netdev_name_invalid(valid[i], false) == NULL, "\"%s\" is a valid name", valid[i]);

	static const struct {
		const char *name;
		const char *why;
	} invalid[] = {
		{ "", "it is empty" },
		{ "1234567890123456", "it is longer than 15 characters (IFNAMSIZ)" },
		{ ".", "\".\" and \"..\" are not interface names" },
		{ "..", "\".\" and \"..\" are not interface names" },
		{ "a/b", "it contains '/', ':' or white space" },
		{ "eth0:1", "it contains '/', ':' or white space" },
		{ "a b", "it contains '/', ':' or white space" },
		{ "a\tb", "it contains '/', ':' or white space" },
		{ "a%s", "'%' may appear once, as the template \"%d\"" },
		{ "%d%d", "'%' may appear once, as the template \"%d\"" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(invalid); i++) {
		const char *name = invalid[i].name;
		tap_is_str(netdev_name_invalid(name, true), invalid[i].why, "\"%s\" is refused, saying why", name);
	}

	tap_ok(netdev_name_invalid("c%d", true) == NULL, "a template is a valid container name");
	tap_is_str(netdev_name_invalid("c%d", false), "a host device is named exactly, not by a template",
		   "a template is not a valid host name");
	tap_ok(netdev_name_invalid("123456789012%d", true) == NULL, "a 14-character template fits IFNAMSIZ");

	struct spec_net_device renamed = { .host_name = "eth9", .name = "c0" }, kept = { .host_name = "eth9" };
	tap_is_str(netdev_container_name(&renamed), "c0", ".name is the name inside");
	tap_is_str(netdev_container_name(&kept), "eth9", "without .name the host name is kept");
}

static void test_addresses(void)
{
	tap_ok(netdev_address_moves(IFA_F_PERMANENT, RT_SCOPE_UNIVERSE), "a permanent global address moves");
	tap_ok(netdev_address_moves(IFA_F_PERMANENT | IFA_F_NODAD | IFA_F_NOPREFIXROUTE, RT_SCOPE_UNIVERSE),
	       "other flags beside IFA_F_PERMANENT do not matter");
	tap_ok(!netdev_address_moves(0, RT_SCOPE_UNIVERSE), "a dynamic (DHCP, SLAAC) address stays");
	tap_ok(!netdev_address_moves(IFA_F_PERMANENT, RT_SCOPE_LINK), "a link-scope address (fe80::) stays");
	tap_ok(!netdev_address_moves(IFA_F_PERMANENT, RT_SCOPE_HOST), "a host-scope address stays");
	tap_ok(!netdev_address_moves(IFA_F_PERMANENT, RT_SCOPE_SITE), "a site-scope address stays");
}

/* Runs netdev_validate on a linux section with the given namespaces and devices and
 * checks its message (NULL: accepted). */
static void check_validate(struct spec_namespace *ns, size_t n_ns, struct spec_net_device *devs, size_t n_devs,
			   const char *want, const char *what)
{
	struct spec_linux l = { .namespaces = ns, .n_namespaces = n_ns, .net_devices = devs, .n_net_devices = n_devs };
	struct fy_error *err = NULL;
	int r = netdev_validate(&l, &err);

	if (want == NULL) {
		tap_ok(r == 0 && err == NULL, "%s", what);
		if (err)
			tap_diag("%s", err->msg);
	} else {
		tap_ok(r < 0, "%s: refused", what);
		tap_is_str(err ? err->msg : NULL, want, "%s: the message", what);
	}
	fy_error_free(&err);
}

static void test_validate(void)
{
	struct spec_namespace new_net[] = { { .type = SPEC_NS_MOUNT }, { .type = SPEC_NS_NETWORK } };
	struct spec_namespace no_net[] = { { .type = SPEC_NS_MOUNT } };
	struct spec_namespace own_net[] = { { .type = SPEC_NS_NETWORK, .path = "/proc/self/ns/net" } };
	struct spec_namespace missing_net[] = { { .type = SPEC_NS_NETWORK, .path = "/nonexistent/ns/net" } };
	struct spec_net_device lo[] = { { .host_name = "lo", .name = "c%d" } };

	check_validate(no_net, 1, NULL, 0, NULL, "no netDevices: nothing to check, even without a network namespace");
	check_validate(new_net, 2, lo, 1, NULL, "an existing device, a template name, a new network namespace");
	check_validate(no_net, 1, lo, 1,
		       "config.json: .linux.netDevices: the container needs a network namespace of its own "
		       "(.linux.namespaces has no \"network\")",
		       "no network namespace");
	check_validate(own_net, 1, lo, 1,
		       "config.json: .linux.netDevices: the network namespace \"/proc/self/ns/net\" is the runtime's "
		       "own, the devices would not move",
		       "the runtime's own network namespace by path");
	check_validate(missing_net, 1, lo, 1,
		       "config.json: .linux.netDevices: network namespace \"/nonexistent/ns/net\": No such file or "
		       "directory",
		       "a network namespace path that does not exist");

	struct spec_net_device missing[] = { { .host_name = "fy-nosuch0" } };
	check_validate(new_net, 2, missing, 1,
		       "config.json: .linux.netDevices[\"fy-nosuch0\"]: no such network device in the runtime's "
		       "network namespace",
		       "a host device that does not exist");
	struct spec_net_device bad_host[] = { { .host_name = "eth0:1" } };
	check_validate(new_net, 2, bad_host, 1,
		       "config.json: .linux.netDevices[\"eth0:1\"]: not a valid interface name: it contains '/', ':' "
		       "or white space",
		       "an invalid host name");
	struct spec_net_device template_host[] = { { .host_name = "eth%d" } };
	check_validate(new_net, 2, template_host, 1,
		       "config.json: .linux.netDevices[\"eth%d\"]: not a valid interface name: a host device is "
		       "named exactly, not by a template",
		       "a template as the host name");
	struct spec_net_device bad_name[] = { { .host_name = "lo", .name = "a-much-too-long-name" } };
	check_validate(new_net, 2, bad_name, 1,
		       "config.json: .linux.netDevices[\"lo\"].name: \"a-much-too-long-name\" is not a valid interface "
		       "name: it is longer than 15 characters (IFNAMSIZ)",
		       "an invalid container name");
	struct spec_net_device twice[] = { { .host_name = "lo", .name = "c0" },
					   { .host_name = "fy-nosuch0", .name = "c0" } };
	check_validate(new_net, 2, twice, 2,
		       "config.json: .linux.netDevices[\"fy-nosuch0\"]: the name \"c0\" is already given to "
		       ".linux.netDevices[\"lo\"]",
		       "two devices with one name inside");
	struct spec_net_device two_templates[] = { { .host_name = "lo", .name = "c%d" },
						   { .host_name = "lo", .name = "c%d" } };
	check_validate(new_net, 2, two_templates, 2, NULL, "one template for two devices: the kernel numbers them");
}

int main(void)
{
	test_templates();
	test_names();
	test_addresses();
	test_validate();
	return tap_done();
}
