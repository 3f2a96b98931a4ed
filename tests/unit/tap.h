/* A minimal TAP producer for Foundry's C unit tests (run by `make check` through
 * automake's tap-driver).  Header-only: each test program includes it once. */
#ifndef FOUNDRY_TAP_H
#define FOUNDRY_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count;
static int tap_failed;

__attribute__((format(printf, 2, 3), unused)) static int tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	printf("%s %d - ", cond ? "ok" : "not ok", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	return cond;
}

#define tap_is_int(got, want, ...)                                          \
	do {                                                                \
		long long g_ = (long long)(got), w_ = (long long)(want);    \
		if (!tap_ok(g_ == w_, __VA_ARGS__))                         \
			printf("#   got:  %lld\n#   want: %lld\n", g_, w_); \
	} while (0)

#define tap_is_str(got, want, ...)                                                                      \
	do {                                                                                            \
		const char *g_ = (got), *w_ = (want);                                                   \
		int same_ = (g_ == NULL && w_ == NULL) || (g_ && w_ && strcmp(g_, w_) == 0);            \
		if (!tap_ok(same_, __VA_ARGS__))                                                        \
			printf("#   got:  %s\n#   want: %s\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
	} while (0)

__attribute__((unused)) static void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Prints the plan (at the end, which TAP allows) and returns the exit status. */
__attribute__((unused)) static int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
