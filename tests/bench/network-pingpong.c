/* TCP ping-pong latency for tests/bench/network-bench.sh (compiled by the script).
 *
 *   network-pingpong server PORT        echoes one byte at a time on one connection
 *   network-pingpong client IP PORT N   prints the mean round trip in microseconds
 *
 * C rather than a script: an interpreter's own per-call cost is larger than the
 * differences between the forwarding paths being compared. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int roundtrip(int fd)
{
	char c = 'x';

	return write(fd, &c, 1) == 1 && read(fd, &c, 1) == 1 ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int one = 1, fd;

	if (argc == 3 && strcmp(argv[1], "server") == 0) {
		int srv = socket(AF_INET, SOCK_STREAM, 0);
		char c;

		sa.sin_port = htons((unsigned short)atoi(argv[2]));
		setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(srv, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(srv, 1) < 0) {
			perror("listen");
			return 1;
		}
		fd = accept(srv, NULL, NULL);
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		while (read(fd, &c, 1) == 1)
			if (write(fd, &c, 1) != 1)
				break;
		return 0;
	}
	if (argc == 5 && strcmp(argv[1], "client") == 0) {
		int n = atoi(argv[4]);
		double t0;

		sa.sin_port = htons((unsigned short)atoi(argv[3]));
		inet_pton(AF_INET, argv[2], &sa.sin_addr);
		for (int i = 0;; i++) {
			fd = socket(AF_INET, SOCK_STREAM, 0);
			if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
				break;
			close(fd);
			if (i == 50) {
				perror("connect");
				return 1;
			}
			usleep(100000);
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		for (int i = 0; i < 200; i++)
			if (roundtrip(fd) < 0)
				return 1;
		t0 = now_us();
		for (int i = 0; i < n; i++)
			if (roundtrip(fd) < 0)
				return 1;
		printf("%.1f\n", (now_us() - t0) / n);
		return 0;
	}
	fprintf(stderr, "usage: %s server PORT | client IP PORT N\n", argv[0]);
	return 2;
}
