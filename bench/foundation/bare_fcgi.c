/*
 * bare_fcgi.c: the reference for bench/foundation: a libfcgi responder
 * with the same process model as qre-fcgi (N pre-forked processes on one
 * unix socket) that answers a fixed JSON body without parsing, auth or a
 * database.  What qre costs on top of this is what the benchmark shows.
 *
 * usage: bare_fcgi SOCKET WORKERS
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

int
main(int argc, char *argv[])
{
	int fd, n;

	if (argc != 3) {
		fprintf(stderr, "usage: bare_fcgi SOCKET WORKERS\n");
		return 2;
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
				FCGX_PutStr(reply, sizeof(reply) - 1, req.out);
				FCGX_Finish_r(&req);
			}
			_exit(0);
		}
	}
	while (wait(NULL) > 0)
		;
	return 0;
}
