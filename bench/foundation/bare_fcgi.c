/*
 * bare_fcgi.c: the reference for bench/foundation: a libfcgi responder
 * with the same process model as qre-fcgi (N pre-forked processes on one
 * unix socket) that answers a fixed JSON body without parsing, auth or a
 * database.  What qre costs on top of this is what the benchmark shows.
 *
 * usage: bare_fcgi SOCKET WORKERS [json|302]
 * ("302" answers like a redirect: the reference for bench/redirect)
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcgiapp.h>

#define BODY "{\"success\":true,\"data\":{\"tokens\":[]}}"
static const char reply[] =
    "Status: 200 OK\r\nContent-Type: application/json\r\n"
    "Content-Length: 37\r\n\r\n" BODY;
_Static_assert(sizeof(BODY) - 1 == 37, "Content-Length matches the body");
static const char redirect[] =
    "Status: 302 Found\r\nContent-Type: text/html; charset=utf-8\r\n"
    "Content-Length: 0\r\nLocation: https://example.com/dest\r\n"
    "Cache-Control: private, no-store\r\n\r\n";

int
main(int argc, char *argv[])
{
	const char *out = reply;
	size_t outlen = sizeof(reply) - 1;
	int fd, n;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: bare_fcgi SOCKET WORKERS [json|302]\n");
		return 2;
	}
	if (argc == 4 && strcmp(argv[3], "302") == 0) {
		out = redirect;
		outlen = sizeof(redirect) - 1;
	}
	n = atoi(argv[2]);
	FCGX_Init();
	if ((fd = FCGX_OpenSocket(argv[1], 1024)) < 0) {
		perror(argv[1]);
		return 1;
	}
	chmod(argv[1], 0666);
	for (int i = 0; i < n; i++) {
		if (fork() == 0) {
			FCGX_Request req;

			prctl(PR_SET_PDEATHSIG, SIGTERM);
			FCGX_InitRequest(&req, fd, 0);
			while (FCGX_Accept_r(&req) >= 0) {
				FCGX_PutStr(out, (int)outlen, req.out);
				FCGX_Finish_r(&req);
			}
			_exit(0);
		}
	}
	while (wait(NULL) > 0)
		;
	return 0;
}
