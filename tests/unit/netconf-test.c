/* org.foundry.net.* annotations: defaults, every field, and the errors a bad value gets. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "spec/config.h"
#include "tests/unit/tap.h"
#include "xdp/netconf.h"

static int parse(struct netconf *conf, char **errmsg, int n, ...)
{
	struct spec_kv kv[8];
	struct fy_error *err = NULL;
	va_list ap;
	int r;

	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		kv[i].key = va_arg(ap, char *);
		kv[i].value = va_arg(ap, char *);
	}
	va_end(ap);
	r = netconf_from_annotations(kv, (size_t)n, conf, &err);
	*errmsg = NULL;
	if (err) {
		*errmsg = strdup(err->msg);
		fy_error_free(&err);
	}
	return r;
}

static void test_defaults(void)
{
	struct netconf c;
	char *msg;
	char buf[16];

	tap_is_int(parse(&c, &msg, 1, "org.other", "x"), 0, "no org.foundry.net annotation: defaults");
	tap_is_str(c.network, "foundry", "default network name");
	ipv4_format(c.subnet.network, buf);
	tap_is_str(buf, "10.88.0.0", "default subnet address");
	tap_is_int(c.subnet.prefix, 16, "default prefix");
	ipv4_format(c.gateway, buf);
	tap_is_str(buf, "10.88.0.1", "gateway is the subnet's first address");
	tap_is_int(c.vni, 1, "default VNI");
	tap_is_int(c.address, 0, "address allocated by default");
	tap_ok(!c.has_mac, "MAC derived by default");
	tap_is_int(c.mtu, NETCONF_DEFAULT_MTU, "default MTU");
	tap_ok(!c.tc, "XDP mode by default");
}

static void test_all_fields(void)
{
	struct netconf c;
	char *msg;
	char buf[18];

	tap_is_int(parse(&c, &msg, 7, "org.foundry.net.network", "blue-1", "org.foundry.net.subnet", "10.99.0.0/24",
			 "org.foundry.net.vni", "16777215", "org.foundry.net.address", "10.99.0.7",
			 "org.foundry.net.mac", "02:AA:bb:00:00:01", "org.foundry.net.mtu", "1500",
			 "org.foundry.net.enable", "true"),
		   0, "every annotation set");
	tap_is_str(c.network, "blue-1", "network");
	tap_is_int(c.vni, 16777215, "VNI at its 24-bit maximum");
	ipv4_format(c.address, buf);
	tap_is_str(buf, "10.99.0.7", "address");
	mac_format(c.mac, buf);
	tap_is_str(buf, "02:aa:bb:00:00:01", "MAC (case-insensitive)");
	tap_is_int(c.mtu, 1500, "MTU");
	tap_is_int(parse(&c, &msg, 1, "org.foundry.net.mode", "tc"), 0, "mode=tc");
	tap_ok(c.tc, "tc mode selected");
}

static void expect_error(const char *key, const char *value, const char *needle)
{
	struct netconf c;
	char *msg;
	int r = parse(&c, &msg, 1, key, value);

	tap_ok(r < 0 && msg && strstr(msg, key) && strstr(msg, needle), "%s=\"%s\" is refused, naming it and \"%s\"",
	       key, value, needle);
	if (msg && !strstr(msg, needle))
		tap_diag("message: %s", msg);
	free(msg);
}

static void test_errors(void)
{
	expect_error("org.foundry.net.address", "10.88.0.300", "IPv4 address");
	expect_error("org.foundry.net.address", "192.168.1.2", "inside the subnet");
	expect_error("org.foundry.net.address", "10.88.0.1", "other than the gateway");
	expect_error("org.foundry.net.address", "10.88.255.255", "inside the subnet");
	expect_error("org.foundry.net.vni", "0", "1 to 16777215");
	expect_error("org.foundry.net.vni", "16777216", "1 to 16777215");
	expect_error("org.foundry.net.vni", "12abc", "1 to 16777215");
	expect_error("org.foundry.net.mac", "01:00:5e:00:00:01", "unicast MAC");
	expect_error("org.foundry.net.mac", "00:00:00:00:00:00", "unicast MAC");
	expect_error("org.foundry.net.mac", "02:aa:bb:cc:dd", "six hex pairs");
	expect_error("org.foundry.net.mac", "02:aa:bb:cc:dd:eg", "six hex pairs");
	expect_error("org.foundry.net.mac", "02-aa-bb-cc-dd-ee", "six hex pairs");
	expect_error("org.foundry.net.subnet", "10.88.0.1/16", "CIDR");
	expect_error("org.foundry.net.subnet", "10.88.0.0/31", "prefix of 8-30");
	expect_error("org.foundry.net.network", "../etc", "[A-Za-z0-9_.-]");
	expect_error("org.foundry.net.network", "..", "[A-Za-z0-9_.-]");
	expect_error("org.foundry.net.mtu", "67", "68 to 65535");
	expect_error("org.foundry.net.vnii", "1", "unknown");
	expect_error("org.foundry.net.mode", "ebpf", "xdp");
	expect_error("org.foundry.net.enable", "yes", "true or false");
}

static void test_helpers(void)
{
	uint8_t mac[6];
	char buf[18];
	uint32_t a;
	struct ipv4_subnet s;

	ipv4_parse("10.88.0.2", &a);
	mac_from_ipv4(a, mac);
	mac_format(mac, buf);
	tap_is_str(buf, "02:fd:0a:58:00:02", "MAC derived from the address: locally administered unicast");
	ipv4_subnet_parse("10.88.0.0/16", &s);
	ipv4_format(ipv4_subnet_broadcast(&s), buf);
	tap_is_str(buf, "10.88.255.255", "broadcast of a /16");
	ipv4_parse("10.89.0.1", &a);
	tap_ok(!ipv4_subnet_contains(&s, a), "10.89.0.1 is outside 10.88.0.0/16");
}

int main(void)
{
	test_defaults();
	test_all_fields();
	test_errors();
	test_helpers();
	return tap_done();
}
