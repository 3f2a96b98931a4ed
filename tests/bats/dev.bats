#!/usr/bin/env bats
# config-linux.md "Default Devices" and runtime-linux.md "Dev symbolic links".

load helpers

setup() {
	setup_bundle
}

teardown() {
	teardown_bundle
}

@test "dev: the default devices exist as character devices with the right major:minor and mode" {
	# stat prints major and minor in hex.
	set_args sh -c 'for d in null zero full random urandom tty; do echo "$d $(stat -c "%F %t:%T %a" /dev/$d)"; done'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "${lines[0]}" = "null character special file 1:3 666" ]
	[ "${lines[1]}" = "zero character special file 1:5 666" ]
	[ "${lines[2]}" = "full character special file 1:7 666" ]
	[ "${lines[3]}" = "random character special file 1:8 666" ]
	[ "${lines[4]}" = "urandom character special file 1:9 666" ]
	[ "${lines[5]}" = "tty character special file 5:0 666" ]
}

@test "dev: the default devices work" {
	set_args sh -c '
		echo discarded > /dev/null && echo null-ok
		[ "$(head -c 4 /dev/zero | od -An -tx1 | tr -d " ")" = 00000000 ] && echo zero-ok
		echo x > /dev/full 2>/dev/null || echo full-ok
		[ "$(head -c 16 /dev/urandom | wc -c)" -eq 16 ] && echo urandom-ok
		[ "$(head -c 16 /dev/random | wc -c)" -eq 16 ] && echo random-ok
		exit 0'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "$stdout" = $'null-ok\nzero-ok\nfull-ok\nurandom-ok\nrandom-ok' ]
}

@test "dev: /dev/fd, /dev/stdin, /dev/stdout and /dev/stderr link into /proc/self/fd" {
	set_args sh -c 'for l in fd stdin stdout stderr; do readlink /dev/$l; done'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "$stdout" = $'/proc/self/fd\n/proc/self/fd/0\n/proc/self/fd/1\n/proc/self/fd/2' ]
}

@test "dev: /dev/ptmx is the container's own devpts ptmx" {
	set_args sh -c 'stat -L -c "%d:%i %t:%T" /dev/ptmx; stat -c "%d:%i %t:%T" /dev/pts/ptmx; stat -c %d /dev/pts'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "${lines[0]}" = "${lines[1]}" ]
	[ "${lines[0]#* }" = 5:2 ]
	# Same filesystem as /dev/pts (a newinstance devpts), not the host's /dev/ptmx.
	[ "${lines[0]%%:*}" = "${lines[2]}" ]
	[ "${lines[0]%% *}" != "$(stat -L -c %d:%i /dev/ptmx)" ]
}

@test "dev: /dev/shm is a writable tmpfs even with a read-only root" {
	update_config '.root.readonly = true'
	set_args sh -c 'grep " /dev/shm " /proc/self/mountinfo; echo x > /dev/shm/file && echo shm-writable'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	assert_contains "${lines[0]}" " - tmpfs "
	[ "${lines[1]}" = shm-writable ]
}

@test "dev: /dev holds the default devices and links and nothing of the host's" {
	set_args ls -A /dev
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	# Nothing of the host's /dev (disks, ttyS*, kmsg ...) is there.
	for name in $stdout; do
		case $name in
		null | zero | full | random | urandom | tty | ptmx | fd | stdin | stdout | stderr | pts | shm | mqueue | core | console) ;;
		*)
			echo "unexpected /dev/$name" >&2
			return 1
			;;
		esac
	done
}
