#!/usr/bin/env bats
# config.md "Root", config-linux.md "Rootfs Mount Propagation", and the pivot_root / --no-pivot
# ways of making the bundle's rootfs the container's /.

load helpers

setup() {
	setup_bundle
	echo "bundle rootfs" >"$ROOTFS/marker"
}

teardown() {
	teardown_bundle
}

# Every mount point the container sees is /, or under /proc, /dev or /sys: nothing of the
# host's mount tree (its /, /run, /tmp ...) is left reachable.
assert_only_container_mounts() {
	local mp
	[ "$(awk '$5 == "/"' <<<"$1" | wc -l)" -eq 1 ]
	while read -r mp; do
		case $mp in
		/ | /proc | /proc/* | /dev | /dev/* | /sys | /sys/*) ;;
		*)
			echo "unexpected mount point in the container: $mp" >&2
			return 1
			;;
		esac
	done < <(awk '{print $5}' <<<"$1")
}

@test "rootfs: after pivot_root / is the bundle's rootfs and no host mount is reachable" {
	set_args sh -c 'cat /marker; cat /proc/self/mountinfo'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "${lines[0]}" = "bundle rootfs" ]
	assert_only_container_mounts "$(tail -n +2 <<<"$stdout")"
}

@test "rootfs: --no-pivot (MS_MOVE + chroot) also makes the rootfs / with no host mount reachable" {
	set_args sh -c 'cat /marker; cat /proc/self/mountinfo'
	foundry run --no-pivot --bundle "$BUNDLE" ct
	assert_status 0
	[ "${lines[0]}" = "bundle rootfs" ]
	assert_only_container_mounts "$(tail -n +2 <<<"$stdout")"
}

@test "rootfs: root.readonly makes / read-only" {
	update_config '.root.readonly = true'
	set_args sh -c 'awk '\''$5 == "/" {print $6}'\'' /proc/self/mountinfo; touch /new-file'
	foundry run --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	[[ ${lines[0]} =~ (^|,)ro(,|$) ]]
	assert_contains "$output" "Read-only file system"
	[ ! -e "$ROOTFS/new-file" ]
}

@test "rootfs: root.readonly false leaves / writable, and writes land in the bundle" {
	update_config '.root.readonly = false'
	set_args sh -c 'echo written > /new-file'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "$(cat "$ROOTFS/new-file")" = written ]
}

# Make the bundle's rootfs a shared mount on the host, so that propagation has something to
# propagate, and start a container with the given rootfsPropagation.
start_with_propagation() {
	mount --bind "$ROOTFS" "$ROOTFS"
	fy_defer umount -l "$ROOTFS"
	mount --make-shared "$ROOTFS"
	mkdir -p "$ROOTFS/late"
	update_config '.linux.rootfsPropagation = $p' --arg p "$1"
	set_args sleep 600
	foundry_ok run --detach --bundle "$BUNDLE" ct
	PID=$(state_field ct pid)
}

# Mount a tmpfs on the host under the container's rootfs after the container started.
host_mounts_late() {
	mount -t tmpfs fy-late "$ROOTFS/late"
	fy_defer umount -l "$ROOTFS/late"
	echo "host mount" >"$ROOTFS/late/file"
}

# Run a command in the container's mount and pid namespaces (from the host: exec is another
# issue).
in_container() {
	nsenter -t "$PID" -m -p "$@"
}

@test "rootfs: rootfsPropagation private: a later host mount under the rootfs stays out" {
	start_with_propagation private
	host_mounts_late
	run in_container cat /late/file
	[ "$status" -ne 0 ]
	run in_container cat /proc/self/mountinfo
	refute_contains "$(awk '$5 == "/"' <<<"$output")" "master:"
	refute_contains "$(awk '$5 == "/"' <<<"$output")" "shared:"
}

# Foundry-specific: runc 1.1.5 leaves the root private whatever rootfsPropagation says.
@test "rootfs: rootfsPropagation slave: a later host mount under the rootfs shows up inside" {
	requires_foundry "runc 1.1.5 ignores rootfsPropagation"
	start_with_propagation slave
	host_mounts_late
	run in_container cat /late/file
	[ "$status" -eq 0 ]
	[ "$output" = "host mount" ]
	run in_container cat /proc/self/mountinfo
	assert_contains "$(awk '$5 == "/"' <<<"$output")" "master:"
}

# Foundry-specific: as above.
@test "rootfs: rootfsPropagation shared: the rootfs is in a peer group" {
	requires_foundry "runc 1.1.5 ignores rootfsPropagation"
	start_with_propagation shared
	run in_container cat /proc/self/mountinfo
	assert_contains "$(awk '$5 == "/"' <<<"$output")" "shared:"
}

# Foundry-specific: as above.
@test "rootfs: rootfsPropagation unbindable: the rootfs is unbindable" {
	requires_foundry "runc 1.1.5 ignores rootfsPropagation"
	start_with_propagation unbindable
	run in_container cat /proc/self/mountinfo
	assert_contains "$(awk '$5 == "/"' <<<"$output")" "unbindable"
}
