#include "config.h"

#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/error.h"

void fy_freep(void *p)
{
	free(*(void **)p);
}

void fy_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}

void fy_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

void fy_closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

void fy_strv_freep(char ***v)
{
	fy_strv_free(*v);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		abort();
	return p;
}

void *xzalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);
	if (p == NULL)
		abort();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		abort();
	return p;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (d == NULL)
		abort();
	return d;
}

char *xstrndup(const char *s, size_t n)
{
	char *d = strndup(s, n);
	if (d == NULL)
		abort();
	return d;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	return s;
}

size_t fy_strv_len(char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

void fy_strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

int fy_read_fd(int fd, char **out, size_t *len, struct fy_error **err)
{
	size_t cap = 4096, n = 0;
	char *buf = xmalloc(cap);

	for (;;) {
		if (n + 1 >= cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return fy_error_sys(err, "read");
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*out = buf;
	if (len)
		*len = n;
	return 0;
}

int fy_read_file_at(int dirfd, const char *path, char **out, size_t *len, struct fy_error **err)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fy_error_sys(err, "open \"%s\"", path);
	if (fy_read_fd(fd, out, len, err) < 0)
		return fy_error_wrap(err, "read \"%s\"", path);
	return 0;
}

int fy_read_file(const char *path, char **out, size_t *len, struct fy_error **err)
{
	return fy_read_file_at(AT_FDCWD, path, out, len, err);
}

int fy_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int fy_write_file_at(int dirfd, const char *path, const void *data, size_t len, struct fy_error **err)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return fy_error_sys(err, "open \"%s\"", path);
	if (fy_write_all(fd, data, len) < 0)
		return fy_error_sys(err, "write \"%s\"", path);
	return 0;
}

int fy_write_file(const char *path, const void *data, size_t len, mode_t mode, struct fy_error **err)
{
	int flags = O_WRONLY | O_TRUNC | O_CLOEXEC | (mode ? O_CREAT : 0);
	_cleanup_close_ int fd = open(path, flags, mode);
	if (fd < 0)
		return fy_error_sys(err, "open \"%s\"", path);
	if (fy_write_all(fd, data, len) < 0)
		return fy_error_sys(err, "write \"%s\"", path);
	return 0;
}

int fy_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode, struct fy_error **err)
{
	_cleanup_free_ char *tmp = xasprintf("%s.tmp", path);

	if (fy_write_file(tmp, data, len, mode, err) < 0)
		return -1;
	if (rename(tmp, path) < 0) {
		int saved = errno;
		unlink(tmp);
		return fy_error_set(err, saved, "rename \"%s\" to \"%s\"", tmp, path);
	}
	return 0;
}

int fy_mkdir_p(const char *path, mode_t mode, struct fy_error **err)
{
	_cleanup_free_ char *p = xstrdup(path);

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST)
			return fy_error_sys(err, "mkdir \"%s\"", p);
		*s = '/';
	}
	if (mkdir(p, mode) < 0 && errno != EEXIST)
		return fy_error_sys(err, "mkdir \"%s\"", p);
	return 0;
}

int fy_parse_long(const char *s, long *out)
{
	char *end;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}
