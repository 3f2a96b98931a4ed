#!/usr/bin/env bats
# Bad input is an error, never a crash, and leaves nothing behind: no state dir, no cgroup, no
# mount.  Foundry's messages name the file, the JSON path and what was expected.

load helpers

setup() {
	setup_bundle
	set_args sleep 600
	cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/config.good"
}

reset_config() {
	cp "$BATS_TEST_TMPDIR/config.good" "$BUNDLE/config.json"
}

teardown() {
	teardown_bundle
}

assert_nothing_left() {
	[ ! -e "$FY_ROOT/ct" ]
	[ -z "$(fy_test_cgroups)" ]
	if grep -F " $BATS_TEST_TMPDIR/" /proc/self/mountinfo >&2; then
		echo "mounts left behind" >&2
		return 1
	fi
}

# Foundry-specific tests check the message shape "<file>: <JSON path>: <expectation>".
assert_config_error() {
	local path=$1
	[ "$status" -ne 0 ]
	assert_contains "$output" "config.json: $path: "
}

@test "errors: a config.json that is not JSON fails create and leaves nothing" {
	echo '{"ociVersion": "1.3.0", ' >"$BUNDLE/config.json"
	foundry create --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	assert_nothing_left
	# Foundry-specific: the message names the file (runc says only "unexpected EOF").
	if fy_is_foundry; then
		assert_contains "$output" config.json
	fi
}

@test "errors: a bundle without config.json fails create, naming the file" {
	rm "$BUNDLE/config.json"
	foundry create --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	assert_contains "$output" config.json
	assert_nothing_left
}

@test "errors: a bundle directory that does not exist fails create" {
	foundry create --bundle "$BATS_TEST_TMPDIR/no-such-bundle" ct
	[ "$status" -ne 0 ]
	assert_contains "$output" no-such-bundle
	assert_nothing_left
}

@test "errors: a missing rootfs fails create and leaves nothing" {
	update_config '.root.path = "no-such-rootfs"'
	foundry create --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	assert_nothing_left
}

@test "errors: a bind mount whose source does not exist fails create and leaves nothing" {
	update_config '.mounts += [{"destination": "/data", "type": "bind", "source": $s, "options": ["bind"]}]' \
		--arg s "$BATS_TEST_TMPDIR/no-such-source"
	foundry create --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	assert_contains "$output" no-such-source
	assert_nothing_left
}

@test "errors: a mount of an unknown filesystem type fails create and leaves nothing" {
	update_config '.mounts += [{"destination": "/data", "type": "nosuchfs", "source": "none"}]'
	foundry create --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	assert_nothing_left
}

@test "errors: an empty process.args fails create" {
	update_config '.process.args = []'
	foundry create --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	assert_nothing_left
}

@test "errors: an id with a slash or dot-dot is refused and creates nothing outside the root" {
	for id in ../escape a/b . ..; do
		foundry create --bundle "$BUNDLE" "$id"
		[ "$status" -ne 0 ]
	done
	[ ! -e "$BATS_TEST_TMPDIR/escape" ]
	[ ! -e "$FY_ROOT/a" ]
	assert_nothing_left
}

@test "errors: unknown properties are ignored, as the spec requires" {
	update_config '.["org.example.unknown"] = {"x": 1} | .process["x-extra"] = [1, 2] | .linux["x-more"] = "y"'
	set_args true
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
}

@test "errors: create without an id fails with a usage error" {
	foundry create --bundle "$BUNDLE"
	[ "$status" -ne 0 ]
	assert_nothing_left
}

@test "errors: an unknown command fails" {
	foundry no-such-command
	[ "$status" -ne 0 ]
}

# Foundry-specific: the exact message the issue gives as its example.
@test "errors: process.args of the wrong type: \"config.json: .process.args: expected an array of strings, got a string\"" {
	requires_foundry "config error wording"
	update_config '.process.args = "sleep 600"'
	foundry create --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	assert_contains "$output" "config.json: .process.args: expected an array of strings, got a string"
	assert_nothing_left
}

# Foundry-specific: message shape for a few more wrong types, deep paths included.
@test "errors: a wrong type deep in config.json names its JSON path" {
	requires_foundry "config error wording"
	update_config '.linux.namespaces[1].type = 7'
	foundry create --bundle "$BUNDLE" ct
	assert_config_error ".linux.namespaces[1].type"
	assert_nothing_left

	reset_config
	update_config '.mounts[0].options = "ro"'
	foundry create --bundle "$BUNDLE" ct
	assert_config_error ".mounts[0].options"

	reset_config
	update_config '.process.user.uid = "root"'
	foundry create --bundle "$BUNDLE" ct
	assert_config_error ".process.user.uid"
	assert_contains "$output" "expected an integer"
}

# Foundry-specific: ociVersion must be 1.x (runc does not check it).
@test "errors: an ociVersion that is not 1.x is refused, naming .ociVersion" {
	requires_foundry "ociVersion check"
	update_config '.ociVersion = "2.0.0"'
	foundry create --bundle "$BUNDLE" ct
	assert_config_error ".ociVersion"
	assert_nothing_left
}

# Foundry-specific: a missing required property is named too.
@test "errors: a config.json without ociVersion names the missing property" {
	requires_foundry "config error wording"
	update_config 'del(.ociVersion)'
	foundry create --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	assert_contains "$output" "ociVersion"
	assert_nothing_left
}
