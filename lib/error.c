#include "config.h"

#include "lib/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <yajl/yajl_gen.h>

#include "lib/util.h"

int fy_error_setv(struct fy_error **err, int errnum, const char *fmt, va_list ap)
{
	char *base = NULL, *msg = NULL;

	if (err == NULL)
		return -1;
	if (vasprintf(&base, fmt, ap) < 0)
		base = NULL;
	if (base && errnum != 0) {
		if (asprintf(&msg, "%s: %s", base, strerror(errnum)) < 0)
			msg = NULL;
		free(base);
	} else {
		msg = base;
	}
	fy_error_free(err);
	*err = xmalloc(sizeof **err);
	(*err)->errnum = errnum;
	(*err)->msg = msg ? msg : xstrdup("out of memory formatting an error");
	return -1;
}

int fy_error_set(struct fy_error **err, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fy_error_setv(err, errnum, fmt, ap);
	va_end(ap);
	return -1;
}

int fy_error_wrap(struct fy_error **err, const char *fmt, ...)
{
	_cleanup_free_ char *ctx = NULL;
	char *msg = NULL;
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	if (vasprintf(&ctx, fmt, ap) < 0)
		ctx = NULL;
	va_end(ap);
	if (*err == NULL)
		return fy_error_set(err, 0, "%s", ctx ? ctx : "unknown error");
	if (ctx && asprintf(&msg, "%s: %s", ctx, (*err)->msg) >= 0) {
		free((*err)->msg);
		(*err)->msg = msg;
	}
	return -1;
}

void fy_error_free(struct fy_error **err)
{
	if (err == NULL || *err == NULL)
		return;
	free((*err)->msg);
	free(*err);
	*err = NULL;
}

void fy_error_report(struct fy_error **err)
{
	if (err == NULL || *err == NULL)
		return;
	fy_log(FY_LOG_ERROR, "%s", (*err)->msg);
	fy_error_free(err);
}

/* ---- logging ---------------------------------------------------------------- */

static struct {
	int fd; /* -1: no log file, messages go to stderr only */
	enum fy_log_format format;
	bool debug;
	const char *program;
} log_sink = { .fd = -1, .format = FY_LOG_TEXT, .debug = false, .program = "foundry" };

static const char *const level_names[] = {
	[FY_LOG_ERROR] = "error",
	[FY_LOG_WARNING] = "warning",
	[FY_LOG_INFO] = "info",
	[FY_LOG_DEBUG] = "debug",
};

void fy_log_set_program(const char *name)
{
	log_sink.program = name;
}

int fy_log_open(const char *path, enum fy_log_format format, bool debug, struct fy_error **err)
{
	log_sink.format = format;
	log_sink.debug = debug;
	if (path == NULL)
		return 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return fy_error_sys(err, "open log file \"%s\"", path);
	log_sink.fd = fd;
	return 0;
}

void fy_log_set_fd(int fd, enum fy_log_format format, bool debug)
{
	log_sink.fd = fd;
	log_sink.format = format;
	log_sink.debug = debug;
}

int fy_log_fd(void)
{
	return log_sink.fd;
}

bool fy_log_debug_enabled(void)
{
	return log_sink.debug;
}

static void format_time_rfc3339(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void write_json_line(int fd, enum fy_log_level level, const char *msg)
{
	char when[64];
	const unsigned char *out;
	size_t outlen;
	yajl_gen g = yajl_gen_alloc(NULL);

	if (g == NULL)
		return;
	format_time_rfc3339(when, sizeof when);
	yajl_gen_map_open(g);
	yajl_gen_string(g, (const unsigned char *)"level", 5);
	yajl_gen_string(g, (const unsigned char *)level_names[level], strlen(level_names[level]));
	yajl_gen_string(g, (const unsigned char *)"msg", 3);
	yajl_gen_string(g, (const unsigned char *)msg, strlen(msg));
	yajl_gen_string(g, (const unsigned char *)"time", 4);
	yajl_gen_string(g, (const unsigned char *)when, strlen(when));
	yajl_gen_map_close(g);
	if (yajl_gen_get_buf(g, &out, &outlen) == yajl_gen_status_ok) {
		_cleanup_free_ char *line = xmalloc(outlen + 2);
		memcpy(line, out, outlen);
		line[outlen] = '\n';
		(void)!write(fd, line, outlen + 1);
	}
	yajl_gen_free(g);
}

void fy_logv(enum fy_log_level level, const char *fmt, va_list ap)
{
	_cleanup_free_ char *msg = NULL;
	int saved_errno = errno;

	if (level == FY_LOG_DEBUG && !log_sink.debug)
		return;
	if (vasprintf(&msg, fmt, ap) < 0)
		return;
	if (log_sink.fd >= 0) {
		if (log_sink.format == FY_LOG_JSON) {
			write_json_line(log_sink.fd, level, msg);
		} else {
			char when[64];
			format_time_rfc3339(when, sizeof when);
			dprintf(log_sink.fd, "%s %s: %s\n", when, level_names[level], msg);
		}
	}
	/* Errors always reach stderr too (runc does the same): a user typing the command
	 * sees it, and containerd reads the log file. Warnings go to stderr only when
	 * there is no log file, so that podman's output stays clean. */
	if (level == FY_LOG_ERROR || log_sink.fd < 0) {
		if (level == FY_LOG_ERROR)
			fprintf(stderr, "%s: %s\n", log_sink.program, msg);
		else
			fprintf(stderr, "%s: %s: %s\n", log_sink.program, level_names[level], msg);
	}
	errno = saved_errno;
}

void fy_log(enum fy_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fy_logv(level, fmt, ap);
	va_end(ap);
}
