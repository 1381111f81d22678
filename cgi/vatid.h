/* vatid.h: VAT numbers of the EU, the UK, Switzerland and Norway: shapes, short forms, check digits. */
#ifndef RECKON_VATID_H
#define RECKON_VATID_H

#include <stddef.h>

enum vatid_status {
	VATID_OK,
	VATID_SHAPE,	/* no country writes its numbers like this */
	VATID_CHECK	/* a country's shape, but its check digits differ */
};

enum vatid_status	 vatid_normalize(const char *, char *, size_t);
enum vatid_status	 vatid_check(const char *);
const char		*vatid_country(const char *);

#endif
