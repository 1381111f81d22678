/* log.c: one line per event on stderr, tagged with the program and pid. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static const char *log_tag = "reckon";
static int	 log_stamp;	/* to a file: each line starts with the time */

/*
 * Send standard error, and so every line logged from now on (children
 * forked later included), to the end of the file path, opened anew (a
 * log rotated away is left to its rotator).  Lines then start with the
 * UTC time, which the journal would otherwise add.  Returns 0, or -1
 * (logged where the lines went so far) and nothing changed.
 */
int
log_reopen(const char *path)
{
	int	 fd;

	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0640)) == -1) {
		log_warn("%s", path);
		return -1;
	}
	if (dup2(fd, STDERR_FILENO) == -1) {
		log_warn("dup2 %s", path);
		close(fd);
		return -1;
	}
	close(fd);
	log_stamp = 1;
	return 0;
}

/* Set the tag printed before every line; tag is borrowed for good. */
void
log_init(const char *tag)
{
	log_tag = tag;
}

static void
vlog(const char *level, int errnum, const char *fmt, va_list ap)
{
	char		 msg[1024], stamp[32] = "";
	time_t		 now;
	struct tm	 tm;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_stamp) {
		now = time(NULL);
		if (gmtime_r(&now, &tm) != NULL)
			strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ ",
			    &tm);
	}
	if (errnum != 0)
		fprintf(stderr, "%s%s[%ld]: %s: %s: %s\n", stamp, log_tag,
		    (long)getpid(), level, msg, strerror(errnum));
	else
		fprintf(stderr, "%s%s[%ld]: %s: %s\n", stamp, log_tag,
		    (long)getpid(), level, msg);
}

/* Log a warning followed by strerror(errno). */
void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 e = errno;

	va_start(ap, fmt);
	vlog("warning", e, fmt, ap);
	va_end(ap);
}

/* Log a warning. */
void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog("warning", 0, fmt, ap);
	va_end(ap);
}

/* Log an informational line. */
void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog("info", 0, fmt, ap);
	va_end(ap);
}

/* Log with strerror(errno) and exit(1). */
void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 e = errno;

	va_start(ap, fmt);
	vlog("fatal", e, fmt, ap);
	va_end(ap);
	exit(1);
}

/* Log and exit(1). */
void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog("fatal", 0, fmt, ap);
	va_end(ap);
	exit(1);
}
