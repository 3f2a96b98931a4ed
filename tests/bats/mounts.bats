#!/usr/bin/env bats
# config.md "Mounts": bind/rbind, proc, sysfs, tmpfs, devpts, mqueue, cgroup, their options
# and propagation flags, seen in the container's /proc/self/mountinfo.

load helpers

setup() {
	setup_bundle
	SRC=$BATS_TEST_TMPDIR/src
	mkdir -p "$SRC/sub"
	echo "from host" >"$SRC/file"
}

teardown() {
	teardown_bundle
}

add_mount() {
	update_config '.mounts += [$m]' --argjson m "$1"
}

# The mountinfo line of mount point $2 in the mountinfo text $1.
mountinfo_of() {
	awk -v mp="$2" '$5 == mp' <<<"$1" | tail -n1
}

# Per-mount options (field 6) of a mountinfo line.
mount_opts() {
	cut -d' ' -f6 <<<"$1"
}

# Filesystem type (the field after " - ") of a mountinfo line.
mount_fstype() {
	sed -e 's/.* - //' <<<"$1" | cut -d' ' -f1
}

# Super options (the last field) of a mountinfo line.
super_opts() {
	awk '{print $NF}' <<<"$1"
}

has_opt() {
	if [[ ,$1, != *",$2,"* ]]; then
		echo "option $2 missing from $1" >&2
		return 1
	fi
}

lacks_opt() {
	if [[ ,$1, == *",$2,"* ]]; then
		echo "option $2 unexpected in $1" >&2
		return 1
	fi
}

@test "mounts: a bind mount shows the host directory, and writes reach the host" {
	add_mount "{\"destination\":\"/data\",\"type\":\"bind\",\"source\":\"$SRC\",\"options\":[\"bind\",\"rw\"]}"
	set_args sh -c 'cat /data/file; echo from container > /data/new'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "$stdout" = "from host" ]
	[ "$(cat "$SRC/new")" = "from container" ]
}

@test "mounts: a read-only bind mount is really read-only" {
	add_mount "{\"destination\":\"/data\",\"type\":\"bind\",\"source\":\"$SRC\",\"options\":[\"bind\",\"ro\"]}"
	set_args sh -c 'cat /proc/self/mountinfo; cat /data/file; touch /data/new'
	foundry run --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	assert_contains "$output" "from host"
	assert_contains "$output" "Read-only file system"
	[ ! -e "$SRC/new" ]
	has_opt "$(mount_opts "$(mountinfo_of "$stdout" /data)")" ro
}

@test "mounts: rbind brings the submounts of the source along, bind does not" {
	mount -t tmpfs fy-sub "$SRC/sub"
	fy_defer umount -l "$SRC/sub"
	echo "submount" >"$SRC/sub/file"

	add_mount "{\"destination\":\"/bind\",\"type\":\"bind\",\"source\":\"$SRC\",\"options\":[\"bind\"]}"
	add_mount "{\"destination\":\"/rbind\",\"type\":\"bind\",\"source\":\"$SRC\",\"options\":[\"rbind\"]}"
	set_args sh -c 'cat /rbind/sub/file; ls /bind/sub | wc -l'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "${lines[0]}" = submount ]
	[ "${lines[1]}" = 0 ]
}

@test "mounts: proc and sysfs are mounted at /proc and /sys" {
	set_args cat /proc/self/mountinfo
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "$(mount_fstype "$(mountinfo_of "$stdout" /proc)")" = proc ]
	[ "$(mount_fstype "$(mountinfo_of "$stdout" /sys)")" = sysfs ]
}

@test "mounts: the container's proc shows the container's pid namespace" {
	set_args sh -c 'ls -d /proc/[0-9]* | wc -l; exit 0'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	# The shell and ls (and the pipeline's wc): a handful, never the host's processes.
	((stdout >= 1 && stdout <= 3))
}

@test "mounts: tmpfs gets its size and mode" {
	add_mount '{"destination":"/scratch","type":"tmpfs","source":"tmpfs","options":["size=1m","mode=0710"]}'
	set_args sh -c 'cat /proc/self/mountinfo; stat -c %a /scratch'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	line=$(mountinfo_of "$stdout" /scratch)
	[ "$(mount_fstype "$line")" = tmpfs ]
	has_opt "$(super_opts "$line")" size=1024k
	has_opt "$(super_opts "$line")" mode=710
	[ "${lines[-1]}" = 710 ]
}

@test "mounts: ro, nosuid, nodev and noexec show in mountinfo and are enforced" {
	add_mount '{"destination":"/flags","type":"tmpfs","source":"tmpfs","options":["nosuid","nodev","noexec"]}'
	add_mount '{"destination":"/ro","type":"tmpfs","source":"tmpfs","options":["ro"]}'
	set_args sh -c 'cat /proc/self/mountinfo; cp /bin/busybox /flags/bb; /flags/bb true && echo exec-allowed; touch /ro/x 2>/dev/null || echo ro-refused; exit 0'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	opts=$(mount_opts "$(mountinfo_of "$stdout" /flags)")
	has_opt "$opts" nosuid
	has_opt "$opts" nodev
	has_opt "$opts" noexec
	has_opt "$(mount_opts "$(mountinfo_of "$stdout" /ro)")" ro
	refute_contains "$stdout" exec-allowed
	assert_contains "$stdout" ro-refused
}

@test "mounts: atime options: noatime, strictatime and the relatime default" {
	add_mount '{"destination":"/noatime","type":"tmpfs","source":"tmpfs","options":["noatime"]}'
	add_mount '{"destination":"/strict","type":"tmpfs","source":"tmpfs","options":["strictatime"]}'
	add_mount '{"destination":"/default","type":"tmpfs","source":"tmpfs"}'
	set_args cat /proc/self/mountinfo
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	has_opt "$(mount_opts "$(mountinfo_of "$stdout" /noatime)")" noatime
	strict=$(mount_opts "$(mountinfo_of "$stdout" /strict)")
	lacks_opt "$strict" relatime
	lacks_opt "$strict" noatime
	has_opt "$(mount_opts "$(mountinfo_of "$stdout" /default)")" relatime
}

@test "mounts: devpts and mqueue are mounted with their options" {
	set_args cat /proc/self/mountinfo
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	pts=$(mountinfo_of "$stdout" /dev/pts)
	[ "$(mount_fstype "$pts")" = devpts ]
	has_opt "$(super_opts "$pts")" ptmxmode=666
	has_opt "$(super_opts "$pts")" mode=620
	has_opt "$(super_opts "$pts")" gid=5
	mq=$(mountinfo_of "$stdout" /dev/mqueue)
	[ "$(mount_fstype "$mq")" = mqueue ]
	has_opt "$(mount_opts "$mq")" nosuid
}

@test "mounts: a cgroup mount shows the container's cgroups read-only under /sys/fs/cgroup" {
	set_args cat /proc/self/mountinfo
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	cg=$(awk '$5 ~ "^/sys/fs/cgroup" && / - cgroup2? /' <<<"$stdout")
	[ -n "$cg" ]
	while read -r line; do
		has_opt "$(mount_opts "$line")" ro
	done <<<"$cg"
}

@test "mounts: a mount destination missing from the rootfs is created" {
	add_mount '{"destination":"/a/b/c","type":"tmpfs","source":"tmpfs"}'
	set_args cat /proc/self/mountinfo
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "$(mount_fstype "$(mountinfo_of "$stdout" /a/b/c)")" = tmpfs ]
}

@test "mounts: a bind mount with rshared propagation is in a peer group, rprivate is not" {
	add_mount "{\"destination\":\"/shared\",\"type\":\"bind\",\"source\":\"$SRC\",\"options\":[\"rbind\",\"rshared\"]}"
	add_mount "{\"destination\":\"/private\",\"type\":\"bind\",\"source\":\"$SRC\",\"options\":[\"rbind\",\"rprivate\"]}"
	set_args cat /proc/self/mountinfo
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	assert_contains "$(mountinfo_of "$stdout" /shared)" "shared:"
	refute_contains "$(mountinfo_of "$stdout" /private)" "shared:"
}

@test "mounts: a bind mount of a file over a file" {
	echo "file content" >"$BATS_TEST_TMPDIR/single"
	add_mount "{\"destination\":\"/etc/single\",\"type\":\"bind\",\"source\":\"$BATS_TEST_TMPDIR/single\",\"options\":[\"bind\",\"ro\"]}"
	set_args cat /etc/single
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "$stdout" = "file content" ]
}

@test "mounts: rro makes a bind and its submounts read-only (ro alone leaves the submounts writable)" {
	mkdir -p "$BATS_TEST_TMPDIR/tree/sub"
	mount -t tmpfs fy-sub "$BATS_TEST_TMPDIR/tree/sub"
	fy_defer umount "$BATS_TEST_TMPDIR/tree/sub"
	add_mount "{\"destination\":\"/rro\",\"type\":\"bind\",\"source\":\"$BATS_TEST_TMPDIR/tree\",\"options\":[\"rbind\",\"rro\"]}"
	add_mount "{\"destination\":\"/ro\",\"type\":\"bind\",\"source\":\"$BATS_TEST_TMPDIR/tree\",\"options\":[\"rbind\",\"ro\"]}"
	set_args sh -c 'touch /rro/sub/f 2>/dev/null && echo rro-writable || echo rro-readonly
		touch /ro/sub/f 2>/dev/null && echo ro-writable || echo ro-readonly'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "${lines[0]}" = rro-readonly ]
	[ "${lines[1]}" = ro-writable ]
}
