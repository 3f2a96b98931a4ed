#!/usr/bin/env bats
# config.md "Process" and "Hostname"/"Domainname": what the container's process gets.

load helpers

setup() {
	setup_bundle
}

teardown() {
	teardown_bundle
}

@test "process: hostname is set in the container's uts namespace" {
	update_config '.hostname = "fy-host"'
	set_args hostname
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "$stdout" = fy-host ]
	[ "$(hostname)" != fy-host ]
}

# Foundry-specific: runc 1.1.5 does not implement domainname (it prints "(none)").
@test "process: domainname is set in the container's uts namespace" {
	requires_foundry "runc 1.1.5 ignores domainname"
	update_config '.domainname = "example.org"'
	set_args cat /proc/sys/kernel/domainname
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "$stdout" = example.org ]
}

@test "process: args reach the process exactly, spaces and empty strings included" {
	set_args sh -c 'for a in "$@"; do echo "[$a]"; done' sh "a b" "" '$HOME' "--flag"
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "$stdout" = $'[a b]\n[]\n[$HOME]\n[--flag]' ]
}

@test "process: env is exactly the configured environment" {
	update_config '.process.env = ["PATH=/usr/bin:/bin", "FOO=bar baz", "EMPTY="]'
	set_args env
	FY_ENV_MARKER=leak foundry run --bundle "$BUNDLE" ct
	assert_status 0
	assert_contains "$stdout" "FOO=bar baz"
	assert_contains "$stdout" "EMPTY="
	refute_contains "$stdout" FY_ENV_MARKER
	refute_contains "$stdout" BATS_
}

@test "process: cwd is the working directory" {
	update_config '.process.cwd = "/tmp"'
	set_args pwd
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "$stdout" = /tmp ]
}

@test "process: user uid, gid and additionalGids" {
	update_config '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [65534, 5]}'
	set_args sh -c 'id -u; id -g; grep -E "^(Uid|Gid|Groups):" /proc/self/status'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "${lines[0]}" = 1000 ]
	[ "${lines[1]}" = 1000 ]
	[[ ${lines[2]} =~ ^Uid:[[:space:]]+1000[[:space:]]+1000[[:space:]]+1000[[:space:]]+1000$ ]]
	[[ ${lines[3]} =~ ^Gid:[[:space:]]+1000[[:space:]]+1000[[:space:]]+1000[[:space:]]+1000$ ]]
	groups=$(sed -e 's/^Groups:[[:space:]]*//' <<<"${lines[4]}" | tr ' ' '\n' | grep . | sort -n | tr '\n' ' ')
	[ "$groups" = "5 65534 " ]
}

@test "process: a uid without additionalGids has no supplementary groups" {
	update_config '.process.user = {"uid": 65534, "gid": 65534}'
	set_args sh -c 'id -u; grep "^Groups:" /proc/self/status'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "${lines[0]}" = 65534 ]
	[[ ${lines[1]} =~ ^Groups:[[:space:]]*$ ]]
}

@test "process: umask is applied" {
	# 0027 in octal; JSON has no octal literals.
	update_config '.process.user.umask = 23 | .root.readonly = false'
	set_args sh -c 'umask; touch /tmp/f; stat -c %a /tmp/f'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "${lines[0]}" = 0027 ]
	[ "${lines[1]}" = 640 ]
}

@test "process: rlimits are applied, soft and hard" {
	update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 123, "hard": 456},
		{"type": "RLIMIT_CORE", "soft": 0, "hard": 4096}]'
	set_args cat /proc/self/limits
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[[ $(grep '^Max open files' <<<"$stdout") =~ ^Max\ open\ files\ +123\ +456\ +files ]]
	[[ $(grep '^Max core file size' <<<"$stdout") =~ ^Max\ core\ file\ size\ +0\ +4096\ +bytes ]]
}

@test "process: noNewPrivileges sets no_new_privs, and false leaves it clear" {
	update_config '.process.noNewPrivileges = true'
	set_args grep '^NoNewPrivs:' /proc/self/status
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[[ $stdout =~ ^NoNewPrivs:[[:space:]]+1$ ]]

	update_config '.process.noNewPrivileges = false'
	foundry run --bundle "$BUNDLE" ct2
	assert_status 0
	[[ $stdout =~ ^NoNewPrivs:[[:space:]]+0$ ]]
}

@test "process: oomScoreAdj is applied" {
	update_config '.process.oomScoreAdj = 123'
	set_args cat /proc/self/oom_score_adj
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "$stdout" = 123 ]
}

@test "process: args[0] is looked up in the configured PATH" {
	update_config '.process.env = ["PATH=/usr/sbin"]'
	set_args arping --help
	foundry run --bundle "$BUNDLE" ct
	# busybox prints its usage for an applet it found; a lookup failure never gets that far.
	assert_contains "$output" "Usage: arping"
}
