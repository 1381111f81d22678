/* log.c: one line per event on stderr, tagged with the program and pid. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static const char *log_tag = "reckon";

/* Set the tag printed before every line; tag is borrowed for good. */
void
log_init(const char *tag)
{
	log_tag = tag;
}

static void
vlog(const char *level, int errnum, const char *fmt, va_list ap)
{
	char	 msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (errnum != 0)
		fprintf(stderr, "%s[%ld]: %s: %s: %s\n", log_tag,
		    (long)getpid(), level, msg, strerror(errnum));
	else
		fprintf(stderr, "%s[%ld]: %s: %s\n", log_tag,
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
