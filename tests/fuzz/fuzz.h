/* fuzz.h: what every libFuzzer harness of tests/fuzz shares. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#ifndef RECKON_FUZZ_H
#define RECKON_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * tests/fuzz/run links each harness with an archive of every cgi/ source but
 * the mains; a harness may add, in lines of its leading comment:
 *
 *   fuzz-args:    -max_len=8192             (extra libFuzzer flags)
 *   fuzz-sources: tests/fuzz/helper.c       (more sources, repo paths)
 *   fuzz-libs:    -lfoo                     (more linker flags)
 */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* An invariant: on violation, say which and abort (libFuzzer keeps the input). */
#define CHECK(c) do {							\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #c);				\
		abort();						\
	}								\
} while (0)

/*
 * The input as a NUL-terminated string in a buffer of exactly n + 1
 * bytes (AddressSanitizer sees any read past it).  Bytes after an
 * embedded NUL are unreachable through it, as in a C string from
 * FastCGI.  Never NULL; the caller frees.
 */
static inline char *
fuzz_str(const uint8_t *d, size_t n)
{
	char	*s;

	if ((s = malloc(n + 1)) == NULL)
		abort();
	if (n > 0)
		memcpy(s, d, n);
	s[n] = '\0';
	return s;
}

#endif
