/* fcgi_static.c: the smallest libfcgi program: answer every request with the same bytes (CGI headers and body) read from a file at start. */
/*
 * usage: fcgi_static SOCKET RESPONSE WORKERS
 *
 * Listens on the unix socket SOCKET (mode 0660), preforks WORKERS
 * processes that each loop on FCGX_Accept_r and write RESPONSE
 * verbatim; kills them all on SIGTERM or SIGINT.  The reference for
 * what libfcgi and nginx cost by themselves.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcgiapp.h>

#define MAXW	64

static volatile sig_atomic_t	 stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
	FCGX_ShutdownPending();
}

int
main(int argc, char *argv[])
{
	struct sigaction	 sa;
	FCGX_Request		 r;
	FILE			*f;
	pid_t			 pids[MAXW];
	char			*resp;
	long			 len;
	int			 sock, n, i, st;

	if (argc != 4 || (n = atoi(argv[3])) < 1 || n > MAXW) {
		fprintf(stderr, "usage: fcgi_static SOCKET RESPONSE WORKERS\n");
		return 2;
	}
	if ((f = fopen(argv[2], "rb")) == NULL || fseek(f, 0, SEEK_END) ||
	    (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    (resp = malloc((size_t)len + 1)) == NULL ||
	    fread(resp, 1, (size_t)len, f) != (size_t)len) {
		fprintf(stderr, "fcgi_static: %s: %s\n", argv[2],
		    strerror(errno));
		return 1;
	}
	fclose(f);
	if (FCGX_Init() != 0)
		return 1;
	unlink(argv[1]);
	if ((sock = FCGX_OpenSocket(argv[1], 128)) < 0 ||
	    chmod(argv[1], 0660) == -1) {
		fprintf(stderr, "fcgi_static: %s: %s\n", argv[1],
		    strerror(errno));
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;	/* no SA_RESTART: accept() returns */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < n; i++) {
		if ((pids[i] = fork()) == -1)
			return 1;
		if (pids[i] != 0)
			continue;
		if (FCGX_InitRequest(&r, sock, 0) != 0)
			_exit(1);
		while (!stop && FCGX_Accept_r(&r) == 0) {
			FCGX_PutStr(resp, (int)len, r.out);
			FCGX_Finish_r(&r);
		}
		_exit(0);
	}
	while (!stop)
		pause();
	for (i = 0; i < n; i++)
		kill(pids[i], SIGKILL);	/* stateless: nothing to finish */
	for (i = 0; i < n; i++)
		while (waitpid(pids[i], &st, 0) == -1 && errno == EINTR)
			;
	unlink(argv[1]);
	return 0;
}
