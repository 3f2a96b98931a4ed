/* Small helpers every module uses: cleanup attributes, checked allocation, whole-file I/O. */
#ifndef FOUNDRY_UTIL_H
#define FOUNDRY_UTIL_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct fy_error;

void fy_freep(void *p);
void fy_closep(int *fd);
void fy_fclosep(FILE **f);
void fy_closedirp(DIR **d);
void fy_strv_freep(char ***v);

/* Ownership moves by `ret = x; x = NULL (or -1); return ret;` */
#define _cleanup_free_ __attribute__((cleanup(fy_freep)))
#define _cleanup_close_ __attribute__((cleanup(fy_closep)))
#define _cleanup_fclose_ __attribute__((cleanup(fy_fclosep)))
#define _cleanup_closedir_ __attribute__((cleanup(fy_closedirp)))
#define _cleanup_strv_ __attribute__((cleanup(fy_strv_freep)))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation failure is not an error Foundry can report usefully: abort. */
void *xmalloc(size_t n);
void *xzalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

size_t fy_strv_len(char *const *v);
void fy_strv_free(char **v);

/* Reads a whole file (or the rest of an fd) into a NUL-terminated buffer. */
int fy_read_file(const char *path, char **out, size_t *len, struct fy_error **err);
int fy_read_fd(int fd, char **out, size_t *len, struct fy_error **err);
int fy_read_file_at(int dirfd, const char *path, char **out, size_t *len, struct fy_error **err);
/* Writes data to path (O_WRONLY|O_TRUNC, no create unless mode != 0). */
int fy_write_file(const char *path, const void *data, size_t len, mode_t mode, struct fy_error **err);
int fy_write_file_at(int dirfd, const char *path, const void *data, size_t len, struct fy_error **err);
/* Writes path.tmp, fsyncs nothing (tmpfs), renames over path: readers see old or new, whole. */
int fy_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode, struct fy_error **err);
int fy_write_all(int fd, const void *data, size_t len);

int fy_mkdir_p(const char *path, mode_t mode, struct fy_error **err);

/* Parses a decimal integer that must fill the whole string. */
int fy_parse_long(const char *s, long *out);

#endif
