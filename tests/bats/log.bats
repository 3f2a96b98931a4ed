#!/usr/bin/env bats
# Global --log, --log-format text|json and --debug: what containerd reads after a failure.

load helpers

setup() {
	setup_bundle
}

teardown() {
	teardown_bundle
}

@test "log: --log-format json writes one JSON object per line with level, msg and time" {
	foundry --log-format json state nosuchct
	[ "$status" -ne 0 ]

	[ -s "$FY_LOG" ]
	while IFS= read -r line; do
		jq -e 'type == "object" and (.level | type == "string") and (.msg | type == "string")
			and (.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"))' \
			<<<"$line" >/dev/null
	done <"$FY_LOG"
	# containerd shows the last error line to its user.
	last=$(jq -r 'select(.level == "error") | .msg' "$FY_LOG" | tail -n1)
	assert_contains "$last" "container does not exist"
}

@test "log: --log-format json turns a failed create's error into an error line" {
	set_args /no/such/binary
	foundry --log-format json run --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	jq -e . "$FY_LOG" >/dev/null
	jq -r 'select(.level == "error") | .msg' "$FY_LOG" | grep -q "/no/such/binary"
}

@test "log: the text log names the error" {
	foundry --log-format text state nosuchct
	[ "$status" -ne 0 ]
	grep -q "container does not exist" "$FY_LOG"
	if jq -e . "$FY_LOG" >/dev/null 2>&1; then
		echo "--log-format text wrote JSON" >&2
		return 1
	fi
}

@test "log: --debug adds debug lines that are absent without it" {
	set_args true
	foundry_ok --log-format json run --bundle "$BUNDLE" ct
	[ "$(jq -r 'select(.level == "debug") | .msg' "$FY_LOG" | wc -l)" -eq 0 ]

	foundry_ok --debug --log-format json run --bundle "$BUNDLE" ct
	[ "$(jq -r 'select(.level == "debug") | .msg' "$FY_LOG" | wc -l)" -gt 0 ]
}

# Foundry-specific: the issue fixes each line to exactly {"level","msg","time"}; runc's --debug
# lines also carry "file" and "func".
@test "log: every JSON line has exactly the keys level, msg and time" {
	requires_foundry "json log shape"
	set_args /no/such/binary
	foundry --debug --log-format json run --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	[ -s "$FY_LOG" ]
	jq -e '(keys | sort) == ["level", "msg", "time"]' "$FY_LOG" >/dev/null
	jq -e '.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")' \
		"$FY_LOG" >/dev/null
}
