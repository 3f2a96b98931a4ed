#!/usr/bin/env bats
# `run` = create + start; in the foreground it waits and exits with the process's status.

load helpers

setup() {
	setup_bundle
}

teardown() {
	teardown_bundle
}

@test "run: the foreground run exits with the process's exit status" {
	set_args sh -c 'exit 7'
	foundry run --bundle "$BUNDLE" ct
	assert_status 7

	set_args true
	foundry run --bundle "$BUNDLE" ct2
	assert_status 0
}

@test "run: the process's stdout and stderr reach the caller's stdout and stderr" {
	set_args sh -c 'echo to-stdout; echo to-stderr >&2'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "$stdout" = to-stdout ]
	assert_contains "$stderr" to-stderr
}

@test "run: the process reads the caller's stdin" {
	echo from-stdin >"$BATS_TEST_TMPDIR/in"
	set_args cat
	FY_STDIN=$BATS_TEST_TMPDIR/in foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "$stdout" = from-stdin ]
}

@test "run: a process killed by a signal makes the foreground run exit with 128+signal" {
	set_args sleep 600
	(
		foundry run --bundle "$BUNDLE" ct
		echo "$status" >"$BATS_TEST_TMPDIR/run-status"
	) &
	wait_for_status ct running
	foundry_ok kill ct KILL
	wait
	[ "$(cat "$BATS_TEST_TMPDIR/run-status")" -eq 137 ]
}

@test "run: a foreground run without --keep leaves no state behind" {
	set_args true
	foundry_ok run --bundle "$BUNDLE" ct

	foundry state ct
	[ "$status" -ne 0 ]
	assert_contains "$output" "container does not exist"
	[ ! -e "$FY_ROOT/ct" ]
	[ -z "$(fy_test_cgroups)" ]
}

@test "run: --keep keeps the stopped container for state and delete" {
	set_args sh -c 'exit 3'
	foundry run --keep --bundle "$BUNDLE" ct
	assert_status 3

	[ "$(state_field ct status)" = stopped ]
	foundry_ok delete ct
	[ ! -e "$FY_ROOT/ct" ]
	[ -z "$(fy_test_cgroups)" ]
}

@test "run: --detach returns at once and leaves the process running" {
	set_args sleep 600
	foundry_ok run --detach --bundle "$BUNDLE" ct

	[ "$(state_field ct status)" = running ]
	pid=$(state_field ct pid)
	[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" = "sleep 600 " ]
}

@test "run: --detach with a process that exits leaves a stopped container to delete" {
	set_args true
	foundry_ok run --detach --bundle "$BUNDLE" ct
	wait_for_status ct stopped
	foundry_ok delete ct
	[ ! -e "$FY_ROOT/ct" ]
}

@test "run: a process that cannot be executed fails the run and leaves no state" {
	set_args /no/such/binary
	foundry run --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	assert_contains "$output" "/no/such/binary"

	foundry state ct
	assert_contains "$output" "container does not exist"
	[ -z "$(fy_test_cgroups)" ]
}
