#!/usr/bin/env bats
# terminals (config.md process.terminal and consoleSize; runc's behaviour is the contract): a
# detached process's pty goes to a --console-socket listener (tests/helpers/recvtty plays
# conmon's part), a foreground one is proxied by the runtime, and runc's flag rules hold.

load helpers

RECVTTY=$FY_TOP/tests/helpers/recvtty

setup() {
	setup_bundle
	SOCK=$BATS_TEST_TMPDIR/console.sock
	TTY_OUT=$BATS_TEST_TMPDIR/recvtty.out
	TTY_ERR=$BATS_TEST_TMPDIR/recvtty.err
	RECVTTY_PID=
}

teardown() {
	teardown_bundle
	# recvtty exits by itself once the pty is gone (or after its own timeout).
	if [[ -n $RECVTTY_PID ]]; then
		kill "$RECVTTY_PID" 2>/dev/null || true
		wait "$RECVTTY_PID" 2>/dev/null || true
	fi
	rm -f "$SOCK"
}

# Starts recvtty on $SOCK in the background (extra arguments go to it) and waits until it
# listens.  Its fd 3 is closed so bats does not wait on it.
start_recvtty() {
	"$RECVTTY" -t 15 "$@" "$SOCK" >"$TTY_OUT" 2>"$TTY_ERR" 3>&- &
	RECVTTY_PID=$!
	local i
	for ((i = 0; i < 100; i++)); do
		grep -q ready "$TTY_ERR" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "recvtty did not start: $(cat "$TTY_ERR")" >&2
	return 1
}

# Waits for recvtty to finish (the pty's last holder exited) and puts what it read from the
# pty, without the pty's carriage returns, in $tty_output.
wait_recvtty() {
	local rc=0
	wait "$RECVTTY_PID" || rc=$?
	RECVTTY_PID=
	tty_output=$(tr -d '\r' <"$TTY_OUT")
	echo "recvtty (status $rc) read:" >&2
	printf '%s\n' "$tty_output" >&2
	cat "$TTY_ERR" >&2
	return "$rc"
}

# The runtime under script(1), which gives it a controlling terminal as a user's shell would;
# PRE is shell run first in that terminal (e.g. "stty rows 21 cols 77;").  Sets $status (the
# runtime's, through script -e) and $output (without the pty's carriage returns).  script's
# stdin is a fifo opened read-write: it never ends, because at end of input script types an
# end-of-file character into the terminal, and the runtime would pass it on to the container.
foundry_in_script_pre() {
	local pre=$1 cmd fifo=$BATS_TEST_TMPDIR/script.stdin
	shift
	cmd=$(printf '%q ' "$FOUNDRY_BIN" --root "$FY_ROOT" --log "$FY_LOG" "$@")
	[[ -p $fifo ]] || mkfifo "$fifo"
	status=0
	timeout -k 5 "$FOUNDRY_TIMEOUT" script -qec "$pre $cmd" /dev/null <>"$fifo" >"$BATS_TEST_TMPDIR/script.out" 3>&- ||
		status=$?
	output=$(tr -d '\r' <"$BATS_TEST_TMPDIR/script.out")
	echo "\$ script: $pre $cmd (status=$status)" >&2
	printf '%s\n' "$output" >&2
}

foundry_in_script() {
	foundry_in_script_pre "" "$@"
}

@test "terminal: create --console-socket: the process's stdio is the pty and its controlling terminal" {
	update_config '.process.terminal = true | .process.consoleSize = {height: 30, width: 100}'
	set_args sh -c 'tty; [ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo stdio-is-a-tty
		echo via-dev-tty >/dev/tty; stty size; [ /dev/console -ef "$(tty)" ] && echo console-is-the-pty'
	start_recvtty -N "$BATS_TEST_TMPDIR/pty-name"
	foundry_ok create --console-socket "$SOCK" --bundle "$BUNDLE" ct
	foundry_ok start ct
	wait_recvtty
	# The payload names the pty (runc sends "/dev/ptmx"; the listener may not rely on it).
	if fy_is_foundry; then
		[ "$(cat "$BATS_TEST_TMPDIR/pty-name")" = /dev/pts/0 ]
	fi
	[ "${tty_output}" = "/dev/pts/0
stdio-is-a-tty
via-dev-tty
30 100
console-is-the-pty" ]
}

@test "terminal: what is written into the pty is the process's input" {
	update_config '.process.terminal = true'
	set_args sh -c 'read line; echo "got:$line"'
	start_recvtty -i $'hello\n'
	foundry_ok create --console-socket "$SOCK" --bundle "$BUNDLE" ct
	foundry_ok start ct
	wait_recvtty
	assert_contains "$tty_output" "got:hello"
}

@test "terminal: the pty belongs to the process's user" {
	update_config '.process.terminal = true | .process.user = {uid: 1000, gid: 1000}'
	set_args sh -c 'stat -c %u "$(tty)"'
	start_recvtty
	foundry_ok run -d --console-socket "$SOCK" --bundle "$BUNDLE" ct
	wait_recvtty
	[ "$tty_output" = 1000 ]
}

@test "terminal: run in the foreground proxies the pty, passes the exit status and removes the container" {
	update_config '.process.terminal = true'
	set_args sh -c 'tty; echo via-dev-tty >/dev/tty; exit 3'
	foundry_in_script run --bundle "$BUNDLE" ct
	assert_status 3
	[ "$output" = "/dev/pts/0
via-dev-tty" ]
	[ ! -e "$FY_ROOT/ct" ]
}

@test "terminal: run in the foreground sizes the pty from the caller's terminal" {
	update_config '.process.terminal = true | .process.consoleSize = {height: 30, width: 100}'
	set_args stty size
	foundry_in_script_pre "stty rows 21 cols 77;" run --bundle "$BUNDLE" ct
	assert_status 0
	[ "$output" = "21 77" ]
}

@test "terminal: exec --tty in the foreground gets a pty of its own" {
	set_args sleep 1000
	foundry_ok run -d --bundle "$BUNDLE" ct
	foundry_in_script exec --tty ct sh -c 'tty; [ -t 0 ] && echo stdin-is-a-tty; exit 5'
	assert_status 5
	[ "$output" = "/dev/pts/0
stdin-is-a-tty" ]
	foundry_in_script_pre "stty rows 21 cols 77;" exec --tty ct stty size
	assert_status 0
	[ "$output" = "21 77" ]
	# The pid namespace's init ignores a SIGKILL from inside; an exec'd process does not.
	foundry_in_script exec --tty ct sh -c 'kill -9 $$'
	assert_status 137
	# Without --tty the exec'd process has the runtime's stdio, as with runc.
	foundry exec ct sh -c '[ -t 0 ] || echo no-tty'
	assert_status 0
	[ "$stdout" = no-tty ]
}

@test "terminal: exec --tty --detach sends the pty to --console-socket" {
	set_args sleep 1000
	foundry_ok run -d --bundle "$BUNDLE" ct
	start_recvtty
	foundry_ok exec --tty --detach --console-socket "$SOCK" ct sh -c 'tty; echo exec-tty'
	wait_recvtty
	[ "$tty_output" = "/dev/pts/0
exec-tty" ]
}

# The statuses are runc's too; the wording is Foundry's.
@test "terminal: create or run -d with a terminal and no --console-socket is refused before anything is made" {
	update_config '.process.terminal = true'
	set_args sleep 1000
	foundry create --bundle "$BUNDLE" ct
	assert_status 1
	if fy_is_foundry; then assert_contains "$stderr" "--console-socket is required when process.terminal is true and the container is detached"; fi
	[ ! -e "$FY_ROOT/ct" ]
	foundry run -d --bundle "$BUNDLE" ct
	assert_status 1
	if fy_is_foundry; then assert_contains "$stderr" "--console-socket is required"; fi
	[ ! -e "$FY_ROOT/ct" ]
	[ -z "$(fy_test_cgroups)" ]
}

@test "terminal: --console-socket without a terminal, or in the foreground, is refused" {
	set_args true
	foundry create --console-socket "$SOCK" --bundle "$BUNDLE" ct
	assert_status 1
	if fy_is_foundry; then assert_contains "$stderr" "--console-socket is only used when process.terminal is true"; fi
	[ ! -e "$FY_ROOT/ct" ]
	update_config '.process.terminal = true'
	foundry run --console-socket "$SOCK" --bundle "$BUNDLE" ct
	assert_status 1
	if fy_is_foundry; then assert_contains "$stderr" "--console-socket is only used when the container is detached"; fi
	[ ! -e "$FY_ROOT/ct" ]
}

@test "terminal: exec refuses --tty --detach without a socket and a socket without --tty" {
	set_args sleep 1000
	foundry_ok run -d --bundle "$BUNDLE" ct
	foundry exec --tty --detach ct true
	assert_status 255
	if fy_is_foundry; then assert_contains "$stderr" "--console-socket is required when process.terminal is true"; fi
	foundry exec --detach --console-socket "$SOCK" ct true
	assert_status 255
	if fy_is_foundry; then assert_contains "$stderr" "--console-socket is only used when process.terminal is true"; fi
	# Neither started a process: the init is alone in the container.
	foundry ps ct
	[ "${#lines[@]}" -eq 2 ]
}

@test "terminal: a --console-socket nobody listens on fails create and leaves nothing" {
	update_config '.process.terminal = true'
	set_args true
	foundry create --console-socket "$SOCK" --bundle "$BUNDLE" ct
	assert_status 1
	assert_contains "$stderr" "$SOCK"
	[ ! -e "$FY_ROOT/ct" ]
	[ -z "$(fy_test_cgroups)" ]
}
