#include "config.h"

#include "xdp/ipam.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/util.h"

/* Opens <root>/<network>/ and locks it; the returned fd holds the lock until closed. */
static int network_lock(const char *root, const char *network, bool create, char **dir_out, struct fy_error **err)
{
	_cleanup_free_ char *dir = xasprintf("%s/%s", root, network);
	_cleanup_free_ char *lock = xasprintf("%s/lock", dir);
	_cleanup_close_ int fd = -1;
	int ret;

	if (create && fy_mkdir_p(dir, 0700, err) < 0)
		return fy_error_wrap(err, "create lease directory for network \"%s\"", network);
	fd = open(lock, O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0600);
	if (fd < 0)
		return fy_error_sys(err, "open lease lock \"%s\"", lock);
	if (flock(fd, LOCK_EX) < 0)
		return fy_error_sys(err, "lock \"%s\"", lock);
	*dir_out = dir;
	dir = NULL;
	ret = fd;
	fd = -1;
	return ret;
}

static int network_record_read(const char *dir, struct ipv4_subnet *subnet, uint32_t *vni, bool *exists,
			       struct fy_error **err)
{
	_cleanup_free_ char *path = xasprintf("%s/network", dir);
	_cleanup_free_ char *text = NULL;
	char cidr[32];
	unsigned v;

	*exists = false;
	if (access(path, F_OK) < 0 && errno == ENOENT)
		return 0;
	if (fy_read_file(path, &text, NULL, err) < 0)
		return -1;
	if (sscanf(text, "subnet=%31s vni=%u", cidr, &v) != 2 || ipv4_subnet_parse(cidr, subnet) < 0)
		return fy_error_set(err, EINVAL, "%s: expected \"subnet=<cidr> vni=<n>\"", path);
	*vni = v;
	*exists = true;
	return 0;
}

/* The first container of a network fixes its subnet and VNI; later ones must agree. */
static int network_record_check(const char *dir, const struct netconf *conf, struct fy_error **err)
{
	_cleanup_free_ char *path = xasprintf("%s/network", dir);
	_cleanup_free_ char *text = NULL;
	struct ipv4_subnet subnet;
	uint32_t vni;
	bool exists;
	char want[16], have[16];

	if (network_record_read(dir, &subnet, &vni, &exists, err) < 0)
		return -1;
	ipv4_format(conf->subnet.network, want);
	if (!exists) {
		text = xasprintf("subnet=%s/%u vni=%u\n", want, conf->subnet.prefix, conf->vni);
		return fy_write_file_atomic(path, text, strlen(text), 0600, err);
	}
	if (subnet.network != conf->subnet.network || subnet.prefix != conf->subnet.prefix || vni != conf->vni) {
		ipv4_format(subnet.network, have);
		return fy_error_set(err, EINVAL,
				    "network \"%s\" exists with subnet %s/%u and VNI %u; the container asks for "
				    "subnet %s/%u and VNI %u",
				    conf->network, have, subnet.prefix, vni, want, conf->subnet.prefix, conf->vni);
	}
	return 0;
}

/* Returns 1 and the holder when the lease file for addr exists, 0 when it does not. */
static int lease_holder(const char *dir, uint32_t addr, char **holder, struct fy_error **err)
{
	char ip[16];
	_cleanup_free_ char *path = NULL;
	char *text = NULL, *nl;

	ipv4_format(addr, ip);
	path = xasprintf("%s/%s", dir, ip);
	if (access(path, F_OK) < 0 && errno == ENOENT)
		return 0;
	if (fy_read_file(path, &text, NULL, err) < 0)
		return -1;
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	*holder = text;
	return 1;
}

static int lease_find_by_id(const char *dir, const char *id, uint32_t *addr, struct fy_error **err)
{
	_cleanup_closedir_ DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return fy_error_sys(err, "open lease directory \"%s\"", dir);
	while ((de = readdir(d))) {
		_cleanup_free_ char *holder = NULL;
		uint32_t a;
		int r;

		if (ipv4_parse(de->d_name, &a) < 0)
			continue;
		r = lease_holder(dir, a, &holder, err);
		if (r < 0)
			return -1;
		if (r > 0 && strcmp(holder, id) == 0) {
			*addr = a;
			return 1;
		}
	}
	return 0;
}

static int lease_write(const char *dir, uint32_t addr, const char *id, struct fy_error **err)
{
	char ip[16];
	_cleanup_free_ char *path = NULL;
	_cleanup_free_ char *text = xasprintf("%s\n", id);

	ipv4_format(addr, ip);
	path = xasprintf("%s/%s", dir, ip);
	return fy_write_file_atomic(path, text, strlen(text), 0600, err);
}

static int lease_pick(const char *dir, const struct netconf *conf, const char *id, uint32_t *addr,
		      struct fy_error **err)
{
	uint32_t last = ipv4_subnet_broadcast(&conf->subnet) - 1;
	char ip[16];

	if (conf->address) {
		_cleanup_free_ char *holder = NULL;
		int r = lease_holder(dir, conf->address, &holder, err);

		if (r < 0)
			return -1;
		ipv4_format(conf->address, ip);
		if (r > 0)
			return fy_error_set(err, EADDRINUSE,
					    "address %s in network \"%s\" is leased to container \"%s\"", ip,
					    conf->network, holder);
		*addr = conf->address;
		return 0;
	}
	for (uint32_t a = conf->gateway + 1; a <= last; a++) {
		_cleanup_free_ char *holder = NULL;
		int r = lease_holder(dir, a, &holder, err);

		if (r < 0)
			return -1;
		if (r == 0) {
			*addr = a;
			return 0;
		}
	}
	return fy_error_set(err, ENOSPC, "network \"%s\": every address of its subnet is leased", conf->network);
}

int ipam_lease_take(const char *root, const struct netconf *conf, const char *id, uint32_t *addr, struct fy_error **err)
{
	_cleanup_free_ char *dir = NULL;
	_cleanup_close_ int lock = network_lock(root, conf->network, true, &dir, err);
	char have[16], want[16];
	uint32_t a;
	int r;

	if (lock < 0)
		return -1;
	if (network_record_check(dir, conf, err) < 0)
		return -1;
	r = lease_find_by_id(dir, id, &a, err);
	if (r < 0)
		return -1;
	if (r > 0) {
		/* A re-run of the same hook: the lease it already holds is the answer. */
		if (conf->address && conf->address != a) {
			ipv4_format(a, have);
			ipv4_format(conf->address, want);
			return fy_error_set(err, EEXIST, "container \"%s\" already holds %s in network \"%s\", not %s",
					    id, have, conf->network, want);
		}
		*addr = a;
		return 0;
	}
	if (lease_pick(dir, conf, id, &a, err) < 0 || lease_write(dir, a, id, err) < 0)
		return -1;
	*addr = a;
	return 0;
}

/* Entries of the lease root that are networks (the root also holds lock files). */
static bool is_network_dir(const char *root, const struct dirent *de)
{
	_cleanup_free_ char *path = NULL;
	struct stat st;

	if (de->d_name[0] == '.' || !netconf_network_name_valid(de->d_name))
		return false;
	path = xasprintf("%s/%s", root, de->d_name);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int ipam_leases_of(const char *root, const char *id, int (*fn)(const struct ipam_lease *lease, void *data), void *data,
		   struct fy_error **err)
{
	_cleanup_closedir_ DIR *d = opendir(root);
	struct dirent *de;

	if (!d)
		return errno == ENOENT ? 0 : fy_error_sys(err, "open lease root \"%s\"", root);
	while ((de = readdir(d))) {
		_cleanup_free_ char *dir = NULL;
		_cleanup_close_ int lock = -1;
		struct ipam_lease lease = { 0 };
		bool exists;
		int r;

		if (!is_network_dir(root, de))
			continue;
		lock = network_lock(root, de->d_name, false, &dir, err);
		if (lock < 0) {
			/* A directory without a lock file holds no lease. */
			if ((*err)->errnum == ENOENT) {
				fy_error_free(err);
				continue;
			}
			return -1;
		}
		r = lease_find_by_id(dir, id, &lease.address, err);
		if (r < 0)
			return -1;
		if (r == 0)
			continue;
		if (network_record_read(dir, &lease.subnet, &lease.vni, &exists, err) < 0)
			return -1;
		snprintf(lease.network, sizeof(lease.network), "%.64s", de->d_name);
		/* fn runs without the lock: it may release this very lease. */
		close(lock);
		lock = -1;
		if (fn(&lease, data) < 0)
			return -1;
	}
	return 0;
}

static int release_in(const char *root, const char *network, const char *id, struct fy_error **err)
{
	_cleanup_free_ char *dir = NULL;
	_cleanup_close_ int lock = network_lock(root, network, false, &dir, err);
	uint32_t a;
	char ip[16];

	if (lock < 0) {
		if ((*err)->errnum == ENOENT) {
			fy_error_free(err);
			return 0;
		}
		return -1;
	}
	for (;;) {
		_cleanup_free_ char *path = NULL;
		int r = lease_find_by_id(dir, id, &a, err);

		if (r <= 0)
			return r;
		ipv4_format(a, ip);
		path = xasprintf("%s/%s", dir, ip);
		if (unlink(path) < 0 && errno != ENOENT)
			return fy_error_sys(err, "remove lease \"%s\"", path);
	}
}

int ipam_lease_release(const char *root, const char *network, const char *id, struct fy_error **err)
{
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *de;

	if (network)
		return release_in(root, network, id, err);
	d = opendir(root);
	if (!d)
		return errno == ENOENT ? 0 : fy_error_sys(err, "open lease root \"%s\"", root);
	while ((de = readdir(d)))
		if (is_network_dir(root, de) && release_in(root, de->d_name, id, err) < 0)
			return -1;
	return 0;
}
