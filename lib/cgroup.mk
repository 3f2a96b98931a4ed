# cgroup managers (v1, v2, hybrid, none) and the v2 device program.
