# terminals: ptys, --console-socket, the foreground proxy.
libfoundry_a_SOURCES += lib/terminal.c lib/terminal.h

# Unit tests (TAP): the validation rules, the pty set-up in a forked child, the console
# socket hand-over and the foreground proxy against a real pty (no root needed).
check_PROGRAMS += tests/unit/terminal-test
TESTS += tests/unit/terminal-test
tests_unit_terminal_test_SOURCES = tests/unit/terminal-test.c tests/unit/tap.h
tests_unit_terminal_test_LDADD = $(FY_LIBS)

# The --console-socket listener tests/bats/terminal.bats uses (runc's recvtty, built by
# `make check`).
check_PROGRAMS += tests/helpers/recvtty
tests_helpers_recvtty_SOURCES = tests/helpers/recvtty.c
