/* The one error convention of Foundry (see shared/design.md, "Errors and exit codes").
 *
 * A fallible function returns a negative int (or NULL) and fills *err.  Callers add
 * context on the way up with fy_error_wrap(); the error is printed once, at the top,
 * by fy_error_report().  Messages say what was being done, to what, and why it failed:
 *   create container "web": mount "proc" on "/proc": Operation not permitted
 */
#ifndef FOUNDRY_ERROR_H
#define FOUNDRY_ERROR_H

#include <stdarg.h>
#include <stdbool.h>

struct fy_error {
	int errnum; /* errno of the root cause, 0 when there is none */
	char *msg;  /* full message, context first, strerror(errnum) last */
};

/* Strings containerd and podman match on: part of the API, never reworded. */
#define FY_MSG_NOT_EXIST "container does not exist"
#define FY_MSG_NOT_RUNNING "container not running"
#define FY_MSG_EXISTS "container with given ID already exists"

enum fy_exit_code {
	FY_EXIT_OK = 0,
	FY_EXIT_ERROR = 1,         /* any runtime error */
	FY_EXIT_EXEC_FAILED = 255, /* exec could not start the process */
};

/* Sets *err (which must be NULL or point to NULL) and returns -1.  When errnum is
 * not 0, ": strerror(errnum)" is appended to the message. */
int fy_error_set(struct fy_error **err, int errnum, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int fy_error_setv(struct fy_error **err, int errnum, const char *fmt, va_list ap);
/* Same, with errnum = errno. */
#define fy_error_sys(err, ...) fy_error_set((err), errno, __VA_ARGS__)

/* Prefixes "<context>: " to an existing error and returns -1.  Safe on *err == NULL
 * (then it records an error with the context alone). */
int fy_error_wrap(struct fy_error **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void fy_error_free(struct fy_error **err);
/* Logs the error at level error (stderr, and the --log file when set) and frees it. */
void fy_error_report(struct fy_error **err);

#define _cleanup_error_ __attribute__((cleanup(fy_error_free)))

/* ---- logging ---------------------------------------------------------------- */

enum fy_log_level { FY_LOG_ERROR, FY_LOG_WARNING, FY_LOG_INFO, FY_LOG_DEBUG };
enum fy_log_format { FY_LOG_TEXT, FY_LOG_JSON };

/* Configures the process-wide log sink, once, from the global command-line flags.
 * The sink is the only mutable global besides probe caches: a log line can come from
 * any depth and threading a logger through every call would buy nothing.
 * path may be NULL (stderr only).  An fd already open (e.g. inherited by the child
 * after clone) can be given with fy_log_set_fd(). */
int fy_log_open(const char *path, enum fy_log_format format, bool debug, struct fy_error **err);
void fy_log_set_fd(int fd, enum fy_log_format format, bool debug);
int fy_log_fd(void);
bool fy_log_debug_enabled(void);
/* Formats one log line (text or JSON) for msg into buf; used by the child to forward. */
void fy_log(enum fy_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fy_logv(enum fy_log_level level, const char *fmt, va_list ap);

#define fy_warn(...) fy_log(FY_LOG_WARNING, __VA_ARGS__)
#define fy_info(...) fy_log(FY_LOG_INFO, __VA_ARGS__)
#define fy_debug(...)                                      \
	do {                                               \
		if (fy_log_debug_enabled())                \
			fy_log(FY_LOG_DEBUG, __VA_ARGS__); \
	} while (0)

/* Name of the program for text messages ("foundry", "foundry-xdp-hook"). */
void fy_log_set_program(const char *name);

#endif
