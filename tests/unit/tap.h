/* tap.h: a tiny header-only TAP producer shared by the unit tests. */
/* Copyright (c) 2026 the Reckon authors. SPDX-License-Identifier: ISC */

#ifndef TAP_H
#define TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/*
 * Use: call ok(), is_i64(), is_str() as often as needed, diag() for
 * notes, and end main() with "return tap_done();".  Everything goes to
 * stdout: one "ok N - desc" or "not ok N - desc" line per check, "# "
 * diagnostics (got/want) under a failed check, then the plan "1..N"
 * and a closing "# N passed, N failed".  Descriptions are printf
 * formats; a '#' in one is escaped as "\#" and a newline becomes a
 * space, so a description can never turn into a TAP directive.
 * The counters are per program: one test program, one TAP stream.
 */

static int	tap_run;	/* checks reported so far */
static int	tap_failed;	/* of which failed */

static inline void	tap_vreport(int, const char *, va_list)
			    __attribute__((format(printf, 2, 0)));
static inline int	ok(int, const char *, ...)
			    __attribute__((format(printf, 2, 3)));
static inline int	is_i64(int64_t, int64_t, const char *, ...)
			    __attribute__((format(printf, 3, 4)));
static inline int	is_str(const char *, const char *, const char *, ...)
			    __attribute__((format(printf, 3, 4)));
static inline void	diag(const char *, ...)
			    __attribute__((format(printf, 1, 2)));
static inline int	tap_done(void);

/*
 * Print one result line for a check that passed if pass is non-zero,
 * numbered in sequence, described by fmt and ap.
 */
static inline void
tap_vreport(int pass, const char *fmt, va_list ap)
{
	char		 desc[512];
	const char	*p;

	vsnprintf(desc, sizeof(desc), fmt, ap);
	if (tap_run == 0)	/* keep every line if a sanitizer ends us */
		setvbuf(stdout, NULL, _IOLBF, 0);
	tap_run++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_run);
	for (p = desc; *p != '\0'; p++) {
		if (*p == '#')
			fputs("\\#", stdout);
		else
			putchar(*p == '\n' ? ' ' : *p);
	}
	putchar('\n');
}

/*
 * Report a check that passed if cond is non-zero.  Returns cond != 0,
 * so a caller can add diagnostics: if (!ok(...)) diag(...).
 */
static inline int
ok(int cond, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	tap_vreport(cond != 0, fmt, ap);
	va_end(ap);
	return cond != 0;
}

/*
 * Report whether got == want; on failure print both as diagnostics.
 * Returns 1 if equal, else 0.
 */
static inline int
is_i64(int64_t got, int64_t want, const char *fmt, ...)
{
	va_list	 ap;
	int	 pass = got == want;

	va_start(ap, fmt);
	tap_vreport(pass, fmt, ap);
	va_end(ap);
	if (!pass) {
		printf("#   got:  %" PRId64 "\n", got);
		printf("#   want: %" PRId64 "\n", want);
	}
	return pass;
}

/*
 * Report whether the strings got and want (borrowed; either may be
 * NULL, and two NULLs are equal) are equal; on failure print both,
 * quoted, as diagnostics.  Returns 1 if equal, else 0.
 */
static inline int
is_str(const char *got, const char *want, const char *fmt, ...)
{
	va_list	 ap;
	int	 pass;

	if (got == NULL || want == NULL)
		pass = got == want;
	else
		pass = strcmp(got, want) == 0;
	va_start(ap, fmt);
	tap_vreport(pass, fmt, ap);
	va_end(ap);
	if (!pass) {
		printf("#   got:  %s%s%s\n", got ? "\"" : "",
		    got ? got : "(null)", got ? "\"" : "");
		printf("#   want: %s%s%s\n", want ? "\"" : "",
		    want ? want : "(null)", want ? "\"" : "");
	}
	return pass;
}

/*
 * Print a "# " diagnostic line (a note, not a check).
 */
static inline void
diag(const char *fmt, ...)
{
	va_list	 ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/*
 * Print the plan "1..N" and the closing "# N passed, N failed" line.
 * Returns the exit status for main(): 0 if every check passed, else 1.
 */
static inline int
tap_done(void)
{
	printf("1..%d\n", tap_run);
	printf("# %d passed, %d failed\n", tap_run - tap_failed, tap_failed);
	fflush(stdout);
	return tap_failed == 0 ? 0 : 1;
}

#endif /* TAP_H */
