/* Leases under a temporary root: allocation order, idempotence, release, requested
 * addresses, exhaustion, network records, and parallel allocation from many processes. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/util.h"
#include "tests/unit/tap.h"
#include "xdp/ipam.h"

static char root[] = "/tmp/ipam-test-XXXXXX";

static struct netconf net(const char *name, const char *subnet, unsigned vni)
{
	struct netconf c = { 0 };

	snprintf(c.network, sizeof(c.network), "%s", name);
	ipv4_subnet_parse(subnet, &c.subnet);
	c.gateway = c.subnet.network + 1;
	c.vni = vni;
	return c;
}

static const char *take(const struct netconf *c, const char *id, char buf[16])
{
	struct fy_error *err = NULL;
	uint32_t a;

	if (ipam_lease_take(root, c, id, &a, &err) < 0) {
		snprintf(buf, 16, "error");
		tap_diag("%s", err->msg);
		fy_error_free(&err);
		return buf;
	}
	ipv4_format(a, buf);
	return buf;
}

static int count_lease(const struct ipam_lease *lease, void *data)
{
	(*(int *)data)++;
	return 0;
}

static void test_basic(void)
{
	struct netconf c = net("n1", "10.77.0.0/29", 7);
	struct fy_error *err = NULL;
	char b[16];
	int n = 0;

	tap_is_str(take(&c, "a", b), "10.77.0.2", "first lease: the address after the gateway");
	tap_is_str(take(&c, "b", b), "10.77.0.3", "second lease: the next one");
	tap_is_str(take(&c, "a", b), "10.77.0.2", "same id again: the same lease (idempotent)");
	tap_is_int(ipam_lease_release(root, "n1", "a", &err), 0, "release a");
	tap_is_int(ipam_lease_release(root, "n1", "a", &err), 0, "releasing again is not an error");
	tap_is_str(take(&c, "c", b), "10.77.0.2", "a released address is reused");
	for (int i = 0; i < 3; i++) {
		char id[8];

		snprintf(id, sizeof(id), "f%d", i);
		take(&c, id, b);
	}
	tap_is_str(b, "10.77.0.6", "the last host address of a /29 is .6");
	tap_ok(ipam_lease_take(root, &c, "full", &(uint32_t){ 0 }, &err) < 0 && strstr(err->msg, "every address"),
	       "exhausted subnet: a clear error");
	fy_error_free(&err);
	ipam_leases_of(root, "b", count_lease, &n, &err);
	tap_is_int(n, 1, "leases_of finds b's lease");
	tap_is_int(ipam_lease_release(root, NULL, "b", &err), 0, "release b without naming the network");
	n = 0;
	ipam_leases_of(root, "b", count_lease, &n, &err);
	tap_is_int(n, 0, "b holds nothing after release");
}

static void test_requested_and_records(void)
{
	struct netconf c = net("n2", "10.78.0.0/24", 8);
	struct netconf other = net("n2", "10.79.0.0/24", 8);
	struct fy_error *err = NULL;
	uint32_t a;
	char b[16];

	ipv4_parse("10.78.0.50", &c.address);
	tap_is_str(take(&c, "x", b), "10.78.0.50", "a requested address is honoured");
	tap_ok(ipam_lease_take(root, &c, "y", &a, &err) < 0 && strstr(err->msg, "leased to container \"x\""),
	       "a requested address held by another container is refused, naming the holder");
	fy_error_free(&err);
	tap_ok(ipam_lease_take(root, &other, "z", &a, &err) < 0 && strstr(err->msg, "exists with subnet"),
	       "the same network name with another subnet is refused");
	fy_error_free(&err);
}

static void test_parallel(void)
{
	struct netconf c = net("par", "10.80.0.0/24", 9);
	enum { N = 20 };
	char seen[256] = { 0 };
	int dup = 0, got = 0;

	for (int i = 0; i < N; i++) {
		if (fork() == 0) {
			char id[16], b[16];

			snprintf(id, sizeof(id), "p%d", i);
			take(&c, id, b);
			_exit(strcmp(b, "error") == 0);
		}
	}
	for (int i = 0; i < N; i++) {
		int st;

		wait(&st);
	}
	for (int i = 0; i < N; i++) {
		char id[16], b[16];
		uint32_t a;
		struct fy_error *err = NULL;

		snprintf(id, sizeof(id), "p%d", i);
		if (ipam_lease_take(root, &c, id, &a, &err) < 0) {
			fy_error_free(&err);
			continue;
		}
		(void)b;
		got++;
		if (seen[a & 0xff]++)
			dup++;
	}
	tap_is_int(got, N, "%d processes in parallel all got a lease", N);
	tap_is_int(dup, 0, "and no address was handed out twice");
}

int main(void)
{
	_cleanup_free_ char *cmd = NULL;

	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 1;
	}
	test_basic();
	test_requested_and_records();
	test_parallel();
	cmd = xasprintf("rm -rf '%s'", root);
	if (system(cmd) != 0)
		tap_diag("could not remove %s", root);
	return tap_done();
}
