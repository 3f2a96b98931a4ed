/* spec/: the state document (runtime.md "State") that `foundry state` prints and hooks read. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "lib/util.h"
#include "spec/state.h"
#include "tests/unit/tap.h"

static void test_pretty_shape(void)
{
	struct spec_kv annotations[] = { { "org.foundry.net.network", "default" } };
	struct spec_state s = {
		.oci_version = "1.3.0",
		.id = "web",
		.status = "running",
		.pid = 4242,
		.bundle = "/srv/web",
		.rootfs = "/srv/web/rootfs",
		.created = "2024-05-01T12:00:00.123456789Z",
		.owner = "",
		.annotations = annotations,
		.n_annotations = 1,
	};
	_cleanup_free_ char *json = spec_state_to_json(&s, true, NULL);

	/* runc's key order and json.MarshalIndent's two-space indent. */
	tap_is_str(json,
		   "{\n"
		   "  \"ociVersion\": \"1.3.0\",\n"
		   "  \"id\": \"web\",\n"
		   "  \"pid\": 4242,\n"
		   "  \"status\": \"running\",\n"
		   "  \"bundle\": \"/srv/web\",\n"
		   "  \"rootfs\": \"/srv/web/rootfs\",\n"
		   "  \"created\": \"2024-05-01T12:00:00.123456789Z\",\n"
		   "  \"owner\": \"\",\n"
		   "  \"annotations\": {\n"
		   "    \"org.foundry.net.network\": \"default\"\n"
		   "  }\n"
		   "}\n",
		   "pretty state is runc's shape");
}

static void test_stopped_compact(void)
{
	struct spec_state s = { .oci_version = "1.3.0", .id = "db", .status = "stopped", .pid = 0, .bundle = "/b" };
	_cleanup_free_ char *json = spec_state_to_json(&s, false, NULL);

	tap_is_str(json, "{\"ociVersion\":\"1.3.0\",\"id\":\"db\",\"status\":\"stopped\",\"bundle\":\"/b\"}",
		   "a stopped container has no pid; compact output is one line");
}

static void test_round_trip(void)
{
	struct spec_kv annotations[] = { { "a", "1" }, { "b.c/d", "x \"y\"" } };
	struct spec_state s = {
		.oci_version = "1.3.0",
		.id = "round",
		.status = "created",
		.pid = 77,
		.bundle = "/bundles/round",
		.rootfs = "/bundles/round/rootfs",
		.created = "2024-05-01T12:00:00.000000001Z",
		.owner = "root",
		.annotations = annotations,
		.n_annotations = 2,
	};
	_cleanup_error_ struct fy_error *err = NULL;
	_cleanup_free_ char *json = NULL;
	struct spec_state *p;
	size_t len;

	json = spec_state_to_json(&s, true, &len);
	tap_is_int(len, strlen(json), "the length returned is the document's");
	p = spec_state_parse(json, len, &err);
	if (!tap_ok(p != NULL, "the state parses back")) {
		tap_diag("%s", err->msg);
		return;
	}
	tap_is_str(p->oci_version, "1.3.0", "round trip: ociVersion");
	tap_is_str(p->id, "round", "round trip: id");
	tap_is_str(p->status, "created", "round trip: status");
	tap_is_int(p->pid, 77, "round trip: pid");
	tap_is_str(p->bundle, "/bundles/round", "round trip: bundle");
	tap_is_str(p->rootfs, "/bundles/round/rootfs", "round trip: rootfs");
	tap_is_str(p->created, "2024-05-01T12:00:00.000000001Z", "round trip: created");
	tap_is_str(p->owner, "root", "round trip: owner");
	tap_is_int(p->n_annotations, 2, "round trip: annotations");
	tap_is_str(p->annotations[1].value, "x \"y\"", "round trip: an annotation with quotes");
	spec_state_free(p);
}

static void test_parse_hook_stdin(void)
{
	/* What runc hands a hook: no rootfs/created/owner, plus properties we do not know. */
	static const char json[] = "{\"ociVersion\":\"1.0.2\",\"id\":\"c1\",\"status\":\"creating\",\"pid\":12,"
				   "\"bundle\":\"/run/c1\",\"annotations\":{\"k\":\"v\"},\"extra\":true}";
	_cleanup_error_ struct fy_error *err = NULL;
	struct spec_state *p = spec_state_parse(json, strlen(json), &err);

	tap_ok(p && p->pid == 12 && strcmp(p->status, "creating") == 0 && p->rootfs == NULL,
	       "a hook's state parses, unknown properties ignored");
	spec_state_free(p);
}

static void test_parse_errors(void)
{
	static const struct {
		const char *json, *message;
	} cases[] = {
		{ "{\"ociVersion\":\"1.0.2\",\"status\":\"running\",\"bundle\":\"/b\"}",
		  "state: .id: required property missing" },
		{ "{\"ociVersion\":\"1.0.2\",\"id\":\"x\",\"status\":\"sleeping\",\"bundle\":\"/b\"}",
		  "state: .status: expected one of creating, created, running, stopped, paused, got \"sleeping\"" },
		{ "{\"ociVersion\":\"1.0.2\",\"id\":\"x\",\"status\":\"running\",\"pid\":-3,\"bundle\":\"/b\"}",
		  "state: .pid: expected an integer in 0..2147483647, got -3" },
		{ "{\"ociVersion\":\"1.0.2\",\"id\":\"x\",\"status\":\"running\"}",
		  "state: .bundle: required property missing" },
		{ "{\"ociVersion\":", "state: invalid JSON: parse error: premature EOF" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		_cleanup_error_ struct fy_error *err = NULL;
		struct spec_state *p = spec_state_parse(cases[i].json, strlen(cases[i].json), &err);
		tap_ok(p == NULL, "bad state %zu is refused", i);
		spec_state_free(p);
		tap_is_str(err ? err->msg : NULL, cases[i].message, "bad state %zu: message", i);
	}
}

int main(void)
{
	test_pretty_shape();
	test_stopped_compact();
	test_round_trip();
	test_parse_hook_stdin();
	test_parse_errors();
	return tap_done();
}
