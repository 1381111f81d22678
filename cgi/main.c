/* main.c: reckon.fcgi, the FastCGI program: supervisor and workers, or one plain CGI request. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "log.h"
#include "server.h"

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: reckon.fcgi -c config.hdf [-1]\n"
	    "  -c  the configuration (see conf/reckon.hdf.in)\n"
	    "  -1  serve one plain CGI request from the environment\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct config	 cfg;
	const char	*path = NULL;
	int		 ch, once = 0, rc;

	while ((ch = getopt(argc, argv, "c:1")) != -1)
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case '1':
			once = 1;
			break;
		default:
			usage();
		}
	if (path == NULL || optind != argc)
		usage();
	log_init("reckon.fcgi");
	if (sodium_init() < 0)
		fatalx("libsodium cannot start");
	if (config_load(path, &cfg) == -1)
		return 1;
	rc = once ? server_cgi(&cfg) : server_run(&cfg);
	config_free(&cfg);
	return rc;
}
