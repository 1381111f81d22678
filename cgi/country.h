/* country.h: ISO 3166-1 countries, for addresses and VAT numbers. */
#ifndef RECKON_COUNTRY_H
#define RECKON_COUNTRY_H

#include <stddef.h>

struct country {
	const char	*code;	/* alpha-2, upper case */
	const char	*name;	/* English short name */
};

const struct country	*country_find(const char *);
const struct country	*country_at(size_t);

#endif
