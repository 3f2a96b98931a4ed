#!/usr/bin/env bats
# runtime.md "Kill": the signal is sent to the container process; names with or without SIG,
# numbers, --all.

load helpers

setup() {
	setup_bundle
	update_config '.root.readonly = false'
}

teardown() {
	teardown_bundle
}

# The container's init traps SIGNALS, writes the first one it gets to /got and exits.  PID 1 of
# a pid namespace only receives signals it has a handler for, so the trap is what makes the
# delivery observable.
run_trapping() {
	local script="" sig
	for sig in "$@"; do
		script+="trap 'echo $sig > /got; exit 0' $sig; "
	done
	set_args sh -c "$script"'touch /ready; while :; do sleep 0.1; done'
	foundry_ok run --detach --bundle "$BUNDLE" ct
	wait_for_file "$ROOTFS/ready"
}

wait_for_file() {
	local i
	for ((i = 0; i < 100; i++)); do
		[[ -e $1 ]] && return 0
		sleep 0.1
	done
	echo "$1 did not appear" >&2
	return 1
}

# Waits for the container to handle the signal and exit; prints what it got.
signal_received() {
	wait_for_status ct stopped
	cat "$ROOTFS/got"
}

@test "kill: without a signal sends SIGTERM" {
	run_trapping TERM USR1
	foundry_ok kill ct
	[ "$(signal_received)" = TERM ]
}

@test "kill: accepts a signal name without the SIG prefix" {
	run_trapping USR1 USR2
	foundry_ok kill ct USR1
	[ "$(signal_received)" = USR1 ]
}

@test "kill: accepts a signal name with the SIG prefix" {
	run_trapping USR1 USR2
	foundry_ok kill ct SIGUSR2
	[ "$(signal_received)" = USR2 ]
}

@test "kill: accepts a signal number" {
	run_trapping USR1 HUP
	foundry_ok kill ct 1
	[ "$(signal_received)" = HUP ]
}

@test "kill: SIGKILL stops a process that has no handler" {
	set_args sleep 600
	foundry_ok run --detach --bundle "$BUNDLE" ct
	foundry_ok kill ct KILL
	wait_for_status ct stopped
}

@test "kill: an unknown signal name is an error and the container keeps running" {
	set_args sleep 600
	foundry_ok run --detach --bundle "$BUNDLE" ct
	foundry kill ct NOSUCHSIGNAL
	[ "$status" -ne 0 ]
	[ "$(state_field ct status)" = running ]
}

@test "kill: --all signals every process of the container" {
	# A child that traps USR1 too; the init waits for it, so neither exit kills the other
	# before its trap has written its file.
	set_args sh -c 'sh -c "trap \"echo child > /child; exit 0\" USR1; touch /child-ready; while :; do sleep 0.1; done" &
		child=$!
		trap "echo init > /init" USR1
		while [ ! -e /child-ready ]; do sleep 0.1; done
		touch /ready
		wait $child
		wait $child'
	foundry_ok run --detach --bundle "$BUNDLE" ct
	wait_for_file "$ROOTFS/ready"

	foundry_ok kill --all ct USR1
	wait_for_status ct stopped
	[ "$(cat "$ROOTFS/child")" = child ]
	[ "$(cat "$ROOTFS/init")" = init ]
}

@test "kill: a stopped container returns an error and stays stopped" {
	set_args true
	foundry_ok run --detach --bundle "$BUNDLE" ct
	wait_for_status ct stopped

	foundry kill ct KILL
	[ "$status" -ne 0 ]
	assert_contains "$output" "container not running"
	[ "$(state_field ct status)" = stopped ]
}

@test "kill: a created container receives the signal" {
	set_args sleep 600
	foundry_ok create --bundle "$BUNDLE" ct
	foundry_ok kill ct KILL
	wait_for_status ct stopped
}
