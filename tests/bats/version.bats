#!/usr/bin/env bats
# --version.

load helpers

@test "version: --version and -v print the version and exit 0" {
	foundry --version
	assert_status 0
	assert_contains "${lines[0]}" "version"
	first=${lines[0]}

	foundry -v
	assert_status 0
	[ "${lines[0]}" = "$first" ]
}

# Foundry-specific: the exact first lines the issue specifies (runc prints "runc version ...").
@test "version: the first lines are \"foundry version X\", \"commit: ...\" and \"spec: 1.3.0\"" {
	requires_foundry "exact --version lines"
	foundry --version
	assert_status 0
	[[ ${lines[0]} =~ ^foundry\ version\ [0-9]+\.[0-9]+\.[0-9]+ ]]
	[[ ${lines[1]} =~ ^commit:\ .+ ]]
	[ "${lines[2]}" = "spec: 1.3.0" ]
}
