/* Captures what the code under test logs (warnings), so a unit test can assert that a
 * value that cannot be mapped was reported and not silently dropped.  Header-only. */
#ifndef FOUNDRY_TEST_LOG_CAPTURE_H
#define FOUNDRY_TEST_LOG_CAPTURE_H

#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/error.h"

static int log_capture_fd = -1;

/* From now on every log line goes to a memfd (and nothing to stderr but errors). */
__attribute__((unused)) static void log_capture_begin(void)
{
	if (log_capture_fd < 0) {
		log_capture_fd = memfd_create("log-capture", MFD_CLOEXEC);
		if (log_capture_fd < 0)
			abort();
	}
	if (ftruncate(log_capture_fd, 0) < 0 || lseek(log_capture_fd, 0, SEEK_SET) < 0)
		abort();
	fy_log_set_fd(log_capture_fd, FY_LOG_TEXT, false);
}

/* Everything logged since log_capture_begin(); the caller frees it.  Capturing restarts. */
__attribute__((unused)) static char *log_capture_take(void)
{
	off_t len = lseek(log_capture_fd, 0, SEEK_END);
	char *buf = malloc((size_t)len + 1);

	if (buf == NULL || pread(log_capture_fd, buf, (size_t)len, 0) != len)
		abort();
	buf[len] = '\0';
	log_capture_begin();
	return buf;
}

#endif
