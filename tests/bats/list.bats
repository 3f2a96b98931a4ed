#!/usr/bin/env bats
# `list`: every container under --root, as a table, as JSON, or ids only.

load helpers

setup() {
	setup_bundle
	set_args sleep 600
	# Two containers: one created, one running, each in its own cgroup.
	update_config '.linux.cgroupsPath = $cg' --arg cg "$FY_CGROUP_PATH-one"
	foundry_ok create --bundle "$BUNDLE" one
	update_config '.linux.cgroupsPath = $cg' --arg cg "$FY_CGROUP_PATH-two"
	foundry_ok run --detach --bundle "$BUNDLE" two
}

teardown() {
	teardown_bundle
}

@test "list: the table has a header and one row per container with id, pid, status and bundle" {
	foundry_ok list
	[ "${#lines[@]}" -eq 3 ]
	[[ ${lines[0]} =~ ^ID\ +PID\ +STATUS\ +BUNDLE\ +CREATED\ +OWNER ]]

	row_one=$(printf '%s\n' "${lines[@]}" | grep '^one ')
	row_two=$(printf '%s\n' "${lines[@]}" | grep '^two ')
	read -r id pid st bundle _ <<<"$row_one"
	[ "$id" = one ] && [ "$pid" = "$(state_field one pid)" ] && [ "$st" = created ] && [ "$bundle" = "$BUNDLE" ]
	read -r id pid st bundle _ <<<"$row_two"
	[ "$id" = two ] && [ "$pid" = "$(state_field two pid)" ] && [ "$st" = running ] && [ "$bundle" = "$BUNDLE" ]
}

@test "list: --format json prints an array of the containers' states" {
	foundry_ok list --format json
	[ "$(jq -r 'length' <<<"$stdout")" -eq 2 ]
	[ "$(jq -r '.[] | select(.id == "one") | .status' <<<"$stdout")" = created ]
	[ "$(jq -r '.[] | select(.id == "two") | .status' <<<"$stdout")" = running ]
	[ "$(jq -r '.[] | select(.id == "two") | .pid' <<<"$stdout")" = "$(state_field two pid)" ]
	[ "$(jq -r '.[] | select(.id == "two") | .bundle' <<<"$stdout")" = "$BUNDLE" ]
	jq -e 'all(.[]; has("created") and has("owner"))' <<<"$stdout" >/dev/null
}

@test "list: -q prints only the ids" {
	foundry_ok list -q
	[ "$(printf '%s\n' "${lines[@]}" | sort | tr '\n' ' ')" = "one two " ]
}

@test "list: a stopped container is listed as stopped, a deleted one not at all" {
	foundry_ok kill two KILL
	wait_for_status two stopped
	foundry_ok list --format json
	[ "$(jq -r '.[] | select(.id == "two") | .status' <<<"$stdout")" = stopped ]

	foundry_ok delete two
	foundry_ok list -q
	[ "$stdout" = one ]
}

@test "list: an empty root lists nothing" {
	foundry_ok delete --force one
	foundry_ok delete --force two
	foundry_ok list -q
	[ -z "$stdout" ]
	foundry_ok list
	[ "${#lines[@]}" -le 1 ]
}
