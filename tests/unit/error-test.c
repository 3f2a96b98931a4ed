#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "lib/error.h"
#include "tests/unit/tap.h"

static int failing_mount(struct fy_error **err)
{
	return fy_error_set(err, EPERM, "mount \"proc\" on \"/proc\"");
}

int main(void)
{
	struct fy_error *err = NULL;

	tap_is_int(failing_mount(&err), -1, "a failing function returns -1");
	tap_is_int(err->errnum, EPERM, "the error keeps errno");
	fy_error_wrap(&err, "create container \"%s\"", "web");
	tap_is_str(err->msg, "create container \"web\": mount \"proc\" on \"/proc\": Operation not permitted",
		   "context is added in front, strerror stays last");
	fy_error_free(&err);
	tap_ok(err == NULL, "free resets the pointer");

	fy_error_wrap(&err, "no cause");
	tap_is_str(err->msg, "no cause", "wrapping nothing records the context alone");
	fy_error_free(&err);
	return tap_done();
}
