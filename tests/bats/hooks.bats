#!/usr/bin/env bats
# config.md "POSIX-platform Hooks" and runtime.md "Lifecycle" steps 3-13: the six stages, the
# state on stdin, args, env, timeout, and what a failing hook does at each stage.

load helpers

setup() {
	setup_bundle
	HOOK_DIR=$BATS_TEST_TMPDIR/hooks
	mkdir -p "$HOOK_DIR"
	# createContainer and startContainer run in the container's namespaces: the hook dir is
	# bind mounted at the same path, so one script and one log work for every stage.
	update_config '.mounts += [{"destination": $d, "type": "bind", "source": $d, "options": ["rbind", "rw"]}]' \
		--arg d "$HOOK_DIR"
	cat >"$HOOK_DIR/hook.sh" <<HOOK
#!/bin/sh
# hook.sh STAGE [EXIT_STATUS]: record the state, args and env of this stage, then exit.
cat > "$HOOK_DIR/\$1.state"
printf '%s\n' "\$@" > "$HOOK_DIR/\$1.args"
env > "$HOOK_DIR/\$1.env"
echo "\$1" >> "$HOOK_DIR/order"
exit "\${2:-0}"
HOOK
	chmod 0755 "$HOOK_DIR/hook.sh"
	# The process records that it ran.
	set_args sh -c "echo ran > $HOOK_DIR/process-ran; exec sleep 600"
}

teardown() {
	teardown_bundle
}

# add_hook STAGE [EXIT_STATUS]
add_hook() {
	update_config '.hooks[$s] += [{"path": $p, "args": ["hook.sh", $s, $e], "env": ["HOOK_STAGE=" + $s, "PATH=/usr/bin:/bin"]}]' \
		--arg s "$1" --arg p "$HOOK_DIR/hook.sh" --arg e "${2:-0}"
}

add_all_hooks() {
	local stage
	for stage in prestart createRuntime createContainer startContainer poststart poststop; do
		add_hook "$stage"
	done
}

# The stages that ran so far, space-separated (also shown on failure).
order() {
	local o
	o=$(cat "$HOOK_DIR/order" 2>/dev/null | tr '\n' ' ')
	echo "hooks run: $o" >&2
	echo "$o"
}

# The container is gone (steps 12-13), its cgroup too, and the user's process never ran.
assert_destroyed_before_process() {
	foundry state ct
	assert_contains "$output" "container does not exist"
	[ -z "$(fy_test_cgroups)" ]
	[ ! -e "$HOOK_DIR/process-ran" ]
}

@test "hooks: all six stages run: the create-phase ones during create, in order, poststop last" {
	add_all_hooks

	foundry_ok create --bundle "$BUNDLE" ct
	[ "$(head -n3 "$HOOK_DIR/order" | tr '\n' ' ')" = "prestart createRuntime createContainer " ]

	foundry_ok start ct
	foundry_ok kill ct KILL
	wait_for_status ct stopped
	refute_contains "$(order)" poststop

	foundry_ok delete ct
	echo "order: $(order)" >&2
	[ "$(sort "$HOOK_DIR/order" | tr '\n' ' ')" = "createContainer createRuntime poststart poststop prestart startContainer " ]
	[ "$(tail -n1 "$HOOK_DIR/order")" = poststop ]
}

# Foundry-specific: runc 1.1.5 runs poststart hooks during create, and so races them against
# the init's startContainer hooks; runtime.md puts poststart after the process started.
@test "hooks: startContainer and poststart hooks run during start, in that order" {
	requires_foundry "runc runs poststart during create"
	add_all_hooks
	foundry_ok create --bundle "$BUNDLE" ct
	[ "$(order)" = "prestart createRuntime createContainer " ]
	foundry_ok start ct
	[ "$(order)" = "prestart createRuntime createContainer startContainer poststart " ]
	foundry_ok delete --force ct
	[ "$(order)" = "prestart createRuntime createContainer startContainer poststart poststop " ]
}

@test "hooks: each hook gets the container's state on stdin" {
	add_all_hooks
	foundry_ok create --bundle "$BUNDLE" ct
	pid=$(state_field ct pid)
	foundry_ok start ct
	foundry_ok kill ct KILL
	wait_for_status ct stopped
	foundry_ok delete ct

	for stage in prestart createRuntime createContainer startContainer poststart poststop; do
		state=$HOOK_DIR/$stage.state
		echo "$stage: $(cat "$state")" >&2
		[ "$(jq -r .id "$state")" = ct ]
		[ "$(jq -r .bundle "$state")" = "$BUNDLE" ]
		[[ $(jq -r .ociVersion "$state") =~ ^1\. ]]
	done
	for stage in prestart createRuntime createContainer; do
		[ "$(jq -r .status "$HOOK_DIR/$stage.state")" = creating ]
	done
	# Hooks in the runtime namespace see the container's pid as the host sees it.
	for stage in prestart createRuntime poststart; do
		[ "$(jq -r .pid "$HOOK_DIR/$stage.state")" = "$pid" ]
	done
	[ "$(jq -r .status "$HOOK_DIR/poststop.state")" = stopped ]
}

# Foundry-specific: runc 1.1.5 passes "created" to poststart and the in-namespace pid (1) to
# createContainer/startContainer; the spec's state has the host's pid and "running" once the
# user's program has been executed.
@test "hooks: poststart sees status running, and every hook sees the host's pid" {
	requires_foundry "runc passes status created to poststart and pid 1 to in-container hooks"
	add_all_hooks
	foundry_ok create --bundle "$BUNDLE" ct
	pid=$(state_field ct pid)
	foundry_ok start ct
	[ "$(jq -r .status "$HOOK_DIR/startContainer.state")" = created ]
	[ "$(jq -r .status "$HOOK_DIR/poststart.state")" = running ]
	for stage in prestart createRuntime createContainer startContainer poststart; do
		[ "$(jq -r .pid "$HOOK_DIR/$stage.state")" = "$pid" ]
	done
}

@test "hooks: a hook gets exactly its args and its env, not the runtime's" {
	add_hook createRuntime
	FY_ENV_MARKER=runtime-env foundry_ok create --bundle "$BUNDLE" ct

	[ "$(cat "$HOOK_DIR/createRuntime.args")" = $'createRuntime\n0' ]
	grep -qx "HOOK_STAGE=createRuntime" "$HOOK_DIR/createRuntime.env"
	grep -qx "PATH=/usr/bin:/bin" "$HOOK_DIR/createRuntime.env"
	if grep -q FY_ENV_MARKER "$HOOK_DIR/createRuntime.env"; then
		echo "the runtime's environment leaked into the hook" >&2
		return 1
	fi
}

@test "hooks: a hook still running at its timeout is killed and fails create" {
	# A duration no other process on the machine is likely to sleep, to find this one by.
	secs=$((100000 + RANDOM))
	update_config '.hooks.createRuntime = [{"path": "/bin/sleep", "args": ["sleep", $s], "timeout": 1}]' \
		--arg s "$secs"
	foundry create --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	assert_destroyed_before_process
	if pgrep -x -f "sleep $secs" >/dev/null; then
		echo "the timed-out hook is still running" >&2
		return 1
	fi
}

@test "hooks: a failing prestart hook fails create, destroys the container and runs poststop" {
	add_hook prestart 3
	add_hook createRuntime
	add_hook poststop
	foundry create --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	assert_destroyed_before_process
	[ "$(order)" = "prestart poststop " ]
}

@test "hooks: a failing createRuntime hook fails create, destroys the container and runs poststop" {
	add_hook createRuntime 3
	add_hook createContainer
	add_hook poststop
	foundry create --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	assert_destroyed_before_process
	[ "$(order)" = "createRuntime poststop " ]
}

@test "hooks: a failing createContainer hook fails create, destroys the container and runs poststop" {
	add_hook createContainer 3
	add_hook poststop
	foundry create --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	assert_destroyed_before_process
	[ "$(order)" = "createContainer poststop " ]
}

@test "hooks: a failing startContainer hook keeps the process from running" {
	add_hook startContainer 3
	foundry_ok create --bundle "$BUNDLE" ct
	foundry start ct
	# With runc, start returns before the init runs the hook; wait until the init is gone.
	for ((i = 0; i < 100; i++)); do
		if json=$(state_json ct 2>/dev/null); then
			st=$(jq -r .status <<<"$json")
		else
			st=gone
		fi
		[[ $st == stopped || $st == gone ]] && break
		sleep 0.1
	done
	[[ $st == stopped || $st == gone ]]
	[ -e "$HOOK_DIR/startContainer.state" ]
	[ ! -e "$HOOK_DIR/process-ran" ]
}

# Foundry-specific: runc 1.1.5's start succeeds and leaves a stopped container (the hook runs
# in the init after start returned); runtime.md step 7 asks for an error and steps 12-13.
@test "hooks: a failing startContainer hook fails start, destroys the container and runs poststop" {
	requires_foundry "runc start does not report startContainer failures"
	add_hook startContainer 3
	add_hook poststop
	foundry_ok create --bundle "$BUNDLE" ct
	foundry start ct
	[ "$status" -ne 0 ]
	assert_destroyed_before_process
	[ "$(order)" = "startContainer poststop " ]
}

@test "hooks: a failing poststart hook fails the run, stops and destroys the container, runs poststop" {
	add_hook poststart 3
	add_hook poststop
	foundry run --detach --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	foundry state ct
	assert_contains "$output" "container does not exist"
	# The cgroup could only go once the process was dead.
	[ -z "$(fy_test_cgroups)" ]
	[ "$(order)" = "poststart poststop " ]
}

# Foundry-specific: runc 1.1.5 runs poststart during create, so there its create fails.
@test "hooks: a failing poststart hook fails start, not create" {
	requires_foundry "runc runs poststart during create"
	add_hook poststart 3
	add_hook poststop
	foundry_ok create --bundle "$BUNDLE" ct
	foundry start ct
	[ "$status" -ne 0 ]
	foundry state ct
	assert_contains "$output" "container does not exist"
	[ -z "$(fy_test_cgroups)" ]
	[ "$(order)" = "poststart poststop " ]
}

@test "hooks: a failing poststop hook is only a warning: delete succeeds" {
	add_hook poststop 3
	foundry_ok run --detach --bundle "$BUNDLE" ct
	foundry_ok delete --force ct
	[ "$(order)" = "poststop " ]
	foundry state ct
	assert_contains "$output" "container does not exist"
	[ -z "$(fy_test_cgroups)" ]
	# The warning is in the log (which also gets what goes to stderr).
	grep -qi hook "$FY_LOG"
}

# Foundry-specific: runc 1.1.5 skips the remaining poststop hooks after a failure; runtime.md
# step 13 says the remaining hooks continue.
@test "hooks: the poststop hooks after a failing one still run" {
	requires_foundry "runc stops at the first failing poststop hook"
	add_hook poststop 3
	add_hook poststop
	foundry_ok run --detach --bundle "$BUNDLE" ct
	foundry_ok delete --force ct
	[ "$(order)" = "poststop poststop " ]
}
