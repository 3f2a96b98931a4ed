/* Pure pieces of the runtime core: ids, signal names, and path resolution that cannot
 * leave the container's root (with openat2 and with the fallback walk). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/container.h"
#include "lib/error.h"
#include "lib/state.h"
#include "lib/sys.h"
#include "lib/util.h"
#include "tests/unit/tap.h"

static void test_ids(void)
{
	const char *good[] = { "web", "a.b-c_d+e", "0123456789abcdef" };
	const char *bad[] = { "", ".", "..", "a/b", "a b", "x\n" };
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		_cleanup_error_ struct fy_error *err = NULL;
		tap_is_int(fy_state_validate_id(good[i], &err), 0, "id \"%s\" is valid", good[i]);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		_cleanup_error_ struct fy_error *err = NULL;
		tap_is_int(fy_state_validate_id(bad[i], &err), -1, "id %zu is refused", i);
	}
}

static void test_signals(void)
{
	tap_is_int(container_parse_signal("KILL"), SIGKILL, "KILL");
	tap_is_int(container_parse_signal("SIGTERM"), SIGTERM, "SIGTERM");
	tap_is_int(container_parse_signal("sigusr1"), SIGUSR1, "names are case-insensitive");
	tap_is_int(container_parse_signal("9"), 9, "numbers");
	tap_is_int(container_parse_signal("RTMIN+2"), SIGRTMIN + 2, "RTMIN+n");
	tap_is_int(container_parse_signal("NOPE"), -1, "unknown names are refused");
	tap_is_int(container_parse_signal("0"), -1, "0 is not a signal to send");
}

/* root/ holds: etc/passwd, link-abs -> /etc, link-up -> ../../../../etc, and the host
 * directory outside/ next to root/ that no resolution may reach. */
static void make_tree(const char *top)
{
	char path[512];
	snprintf(path, sizeof path, "%s/root/etc", top);
	fy_mkdir_p(path, 0755, NULL);
	snprintf(path, sizeof path, "%s/outside", top);
	fy_mkdir_p(path, 0755, NULL);
	snprintf(path, sizeof path, "%s/root/etc/passwd", top);
	fy_write_file(path, "inside", 6, 0644, NULL);
	snprintf(path, sizeof path, "%s/outside/passwd", top);
	fy_write_file(path, "host", 4, 0644, NULL);
	snprintf(path, sizeof path, "%s/root/link-abs", top);
	(void)!symlink("/etc", path);
	snprintf(path, sizeof path, "%s/root/link-up", top);
	(void)!symlink("../../../../outside", path);
	snprintf(path, sizeof path, "%s/root/link-host", top);
	char target[512];
	snprintf(target, sizeof target, "%s/outside", top);
	(void)!symlink(target, path);
}

static char *read_in_root(int rootfd, const char *path)
{
	_cleanup_close_ int fd = fy_open_in_root(rootfd, path, O_RDONLY, 0);
	char *text = NULL;
	if (fd < 0 || fy_read_fd(fd, &text, NULL, NULL) < 0)
		return NULL;
	return text;
}

static void test_open_in_root(const char *top, bool fallback)
{
	const char *how = fallback ? "fallback walk" : "openat2";
	char path[512];
	snprintf(path, sizeof path, "%s/root", top);
	_cleanup_close_ int rootfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);

	fy_sys_force_fallback(fallback);
	_cleanup_free_ char *a = read_in_root(rootfd, "/etc/passwd");
	tap_is_str(a, "inside", "%s: a plain path", how);
	_cleanup_free_ char *b = read_in_root(rootfd, "/link-abs/passwd");
	tap_is_str(b, "inside", "%s: an absolute symlink resolves inside the root", how);
	_cleanup_free_ char *c = read_in_root(rootfd, "/../../../outside/passwd");
	tap_ok(c == NULL || strcmp(c, "host") != 0, "%s: .. never climbs above the root", how);
	_cleanup_free_ char *d = read_in_root(rootfd, "/link-up/passwd");
	tap_ok(d == NULL || strcmp(d, "host") != 0, "%s: a relative symlink cannot climb out", how);
	_cleanup_free_ char *e = read_in_root(rootfd, "/link-host/passwd");
	tap_ok(e == NULL || strcmp(e, "host") != 0, "%s: an absolute symlink to a host path stays inside", how);
	fy_sys_force_fallback(false);
}

int main(void)
{
	char top[] = "/tmp/foundry-runtime-test-XXXXXX";

	test_ids();
	test_signals();
	if (mkdtemp(top) == NULL)
		return tap_ok(0, "mkdtemp"), tap_done();
	make_tree(top);
	test_open_in_root(top, false);
	test_open_in_root(top, true);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
	(void)!system(cmd);
	return tap_done();
}
