# capabilities, seccomp, sysctl, scheduling attributes, LSM checks.
