#!/usr/bin/env python3
"""TCP ping-pong latency for tests/bench/network-bench.sh.

  network-pingpong.py server PORT        (echoes one byte at a time, one connection)
  network-pingpong.py client HOST PORT N (prints the mean round trip in microseconds)
"""
import socket
import sys
import time


def server(port):
    with socket.create_server(("0.0.0.0", port)) as srv:
        srv.settimeout(30)
        conn, _ = srv.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while True:
            b = conn.recv(1)
            if not b:
                return
            conn.sendall(b)


def client(host, port, n):
    for _ in range(50):
        try:
            conn = socket.create_connection((host, port), timeout=5)
            break
        except OSError:
            time.sleep(0.1)
    else:
        sys.exit("no server")
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for _ in range(100):  # warm-up
        conn.sendall(b"x")
        conn.recv(1)
    t0 = time.perf_counter()
    for _ in range(n):
        conn.sendall(b"x")
        conn.recv(1)
    dt = time.perf_counter() - t0
    conn.close()
    print(f"{dt / n * 1e6:.1f}")


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(int(sys.argv[2]))
    else:
        client(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
