# terminals: ptys, --console-socket, the foreground proxy.
