/* t_vatid.c: VAT numbers as the tax offices write and check them. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <string.h>

#include "vatid.h"
#include "tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Real VAT numbers as published by their holders (on invoices, letters
 * and web sites), at least three per country, as written there; the
 * form vatid_normalize gives; the ISO country; and the same number
 * with one digit changed, which its check digits must catch.  The
 * changed digit is a check digit or one of the digits it covers, never
 * a fixed part of the shape (the "B01" of a Dutch number, the "01" of
 * a Swedish one), so the twin still has its country's shape.
 */
static const struct {
	const char	*raw;
	const char	*norm;
	const char	*country;
	const char	*twin;
} published[] = {
	{ "ATU 142 43 102", "ATU14243102", "AT", "ATU14243101" },
	{ "ATU 15159209", "ATU15159209", "AT", "ATU15159201" },
	{ "ATU 28560205", "ATU28560205", "AT", "ATU28560201" },
	{ "BE (0)468.561.072", "BE0468561072", "BE", "BE0468561071" },
	{ "BE 444.503.092", "BE0444503092", "BE", "BE0444503091" },
	{ "BE 0202.239.951", "BE0202239951", "BE", "BE0202239952" },
	{ "BG 103873594", "BG103873594", "BG", "BG103873591" },
	{ "BG7111042925", "BG7111042925", "BG", "BG7111042921" },
	{ "BG 124 551 319", "BG124551319", "BG", "BG124551311" },
	{ "CY 10246672X", "CY10246672X", "CY", "CY10246671X" },
	{ "CY 10263870R", "CY10263870R", "CY", "CY10263871R" },
	{ "CY 10274231F", "CY10274231F", "CY", "CY10274232F" },
	{ "CZ 25123891", "CZ25123891", "CZ", "CZ25123892" },
	{ "CZ 640229/4448", "CZ6402294448", "CZ", "CZ6402294441" },
	{ "CZ 640903926", "CZ640903926", "CZ", "CZ640903921" },
	{ "DE - 113866163", "DE113866163", "DE", "DE113866161" },
	{ "DE - 231969187", "DE231969187", "DE", "DE231969181" },
	{ "DE - 265265318", "DE265265318", "DE", "DE265265311" },
	{ "DK 10 50 32 80", "DK10503280", "DK", "DK10503281" },
	{ "DK 11 97 56 58", "DK11975658", "DK", "DK11975651" },
	{ "DK 12 14 48 22", "DK12144822", "DK", "DK12144821" },
	{ "EE 100 931 558", "EE100931558", "EE", "EE100931551" },
	{ "EE 100523487", "EE100523487", "EE", "EE100523481" },
	{ "EE 100572933", "EE100572933", "EE", "EE100572931" },
	{ "ES - Q0818001J", "ESQ0818001J", "ES", "ESQ0818002J" },
	{ "ES 54362315K", "ES54362315K", "ES", "ES54362311K" },
	{ "ES A-28184661", "ESA28184661", "ES", "ESA28184662" },
	{ "EL 039868210", "EL039868210", "GR", "EL039868211" },
	{ "EL 94051189", "EL094051189", "GR", "EL094051181" },
	{ "EL 044824428", "EL044824428", "GR", "EL044824421" },
	{ "FI 02459042", "FI02459042", "FI", "FI02459041" },
	{ "FI 0982651-1", "FI09826511", "FI", "FI09826512" },
	{ "FI 10320534", "FI10320534", "FI", "FI10320531" },
	{ "FR 04409414364", "FR04409414364", "FR", "FR04409414361" },
	{ "FR K 7399859412", "FRK7399859412", "FR", "FRK7399859411" },
	{ "FR 09434086930", "FR09434086930", "FR", "FR09434086931" },
	{ "HU -12509403", "HU12509403", "HU", "HU12509401" },
	{ "HU 10672101", "HU10672101", "HU", "HU10672102" },
	{ "HU 10766172", "HU10766172", "HU", "HU10766171" },
	{ "IE 0005306C", "IE0005306C", "IE", "IE0005301C" },
	{ "IE6433435IH", "IE6433435IH", "IE", "IE6433431IH" },
	{ "IE8D79739I", "IE8D79739I", "IE", "IE8D79731I" },
	{ "IT - 01404480202", "IT01404480202", "IT", "IT01404480201" },
	{ "IT 0 0 6 1 8 2 8 0 4 9 9", "IT00618280499", "IT", "IT00618280491" },
	{ "IT 00 595 000 217", "IT00595000217", "IT", "IT00595000211" },
	{ "LT 100001354118", "LT100001354118", "LT", "LT100001354111" },
	{ "LT 119511515", "LT119511515", "LT", "LT119511511" },
	{ "LT 100001509912", "LT100001509912", "LT", "LT100001509911" },
	{ "LU 10059929", "LU10059929", "LU", "LU10059921" },
	{ "LU 10590281", "LU10590281", "LU", "LU10590282" },
	{ "LU 109 676 28", "LU10967628", "LU", "LU10967621" },
	{ "LV 4000 3521 600", "LV40003521600", "LV", "LV40003521601" },
	{ "LV 40003189718", "LV40003189718", "LV", "LV40003189711" },
	{ "LV 40003282138", "LV40003282138", "LV", "LV40003282131" },
	{ "MT 1039-6417", "MT10396417", "MT", "MT10396411" },
	{ "MT 1167-9112", "MT11679112", "MT", "MT11679111" },
	{ "MT 1465 8213", "MT14658213", "MT", "MT14658211" },
	{ "NL 001241 643 B01", "NL001241643B01", "NL", "NL001241641B01" },
	{ "NL00449544B01", "NL000449544B01", "NL", "NL000449541B01" },
	{ "NL4495445B01", "NL004495445B01", "NL", "NL004495441B01" },
	{ "PL 5211355116", "PL5211355116", "PL", "PL5211355111" },
	{ "PL 5211754253", "PL5211754253", "PL", "PL5211754251" },
	{ "PL 5220205853", "PL5220205853", "PL", "PL5220205851" },
	{ "PT 500 019 720", "PT500019720", "PT", "PT500019721" },
	{ "PT 500135.495", "PT500135495", "PT", "PT500135491" },
	{ "PT 501 507 930", "PT501507930", "PT", "PT501507931" },
	{ "RO 11358544", "RO11358544", "RO", "RO11358541" },
	{ "RO 1822964", "RO1822964", "RO", "RO1822961" },
	{ "RO 573768", "RO573768", "RO", "RO573761" },
	{ "SE 202 100-5000 01", "SE202100500001", "SE", "SE202100500101" },
	{ "SE 390 806 051 401", "SE390806051401", "SE", "SE390806051101" },
	{ "SE 55 62 00-0777 01", "SE556200077701", "SE", "SE556200077101" },
	{ "SI 26808498", "SI26808498", "SI", "SI26808491" },
	{ "SI 29664373", "SI29664373", "SI", "SI29664371" },
	{ "SI 3609 7152", "SI36097152", "SI", "SI36097151" },
	{ "SK 1078449064", "SK1078449064", "SK", "SK1078449061" },
	{ "SK 202 274 96 19", "SK2022749619", "SK", "SK2022749611" },
	{ "SK 2020 237 945", "SK2020237945", "SK", "SK2020237941" },
	{ "XI 002425728", "XI002425728", "GB", "XI002425721" },
	{ "XI 242338087388", "XI242338087388", "GB", "XI242338081388" },
	{ "GB 002 4257 28", "GB002425728", "GB", "GB002425721" },
	{ "GB 242338087388", "GB242338087388", "GB", "GB242338081388" },
	{ "GB 003232345", "GB003232345", "GB", "GB003232341" },
	{ "CHE-1 76.814.97 5 MWST", "CHE176814975MWST", "CH",
	    "CHE176814971MWST" },
	{ "CHE-107.787.577 IVA", "CHE107787577IVA", "CH", "CHE107787571IVA" },
	{ "CHE-100.155.212 MWST", "CHE100155212MWST", "CH",
	    "CHE100155211MWST" },
	{ "NO 987 008 644 MVA", "NO987008644MVA", "NO", "NO987008641MVA" },
	{ "NO 917 313 008 MVA", "NO917313008MVA", "NO", "NO917313001MVA" },
	{ "NO 948007029 MVA", "NO948007029MVA", "NO", "NO948007021MVA" },
	{ "HR 33392005961", "HR33392005961", "HR", "HR33392005962" },
	{ "HR27759560625", "HR27759560625", "HR", "HR27759560621" },
	{ "HR92963223473", "HR92963223473", "HR", "HR92963223471" },
	{ "CHE-116.046.681 TPV", "CHE116046681TPV", "CH", "CHE116046682TPV" },
	{ "CHE-108.113.335 MwST", "CHE108113335MWST", "CH",
	    "CHE108113336MWST" },
	{ "GR 094259216", "EL094259216", "GR", "EL094259217" },
};

/* The fictional numbers of the demo and the fixtures add up too. */
static const char *const fictional[] = {
	"DE123456788", "DE987654328", "DE271828180", "DE314159262",
	"NL123456782B01", "GB123456782", "XI123456782", "EL123456783",
	"CHE123456788MWST", "FR40303265045",
};

/* Short forms, separators, case: raw, then the form (NULL: refused). */
static const struct {
	const char	*raw;
	const char	*norm;
} forms[] = {
	{ "BE 468.561.072", "BE0468561072" },	/* 9 digits take a 0 */
	{ "BE (0)468.561.072", "BE0468561072" },	/* the 0 in brackets */
	{ "be0468561072", "BE0468561072" },	/* lower case */
	{ "BE 46856107", NULL },		/* 8 digits: too short */
	{ "BE 2468561072", NULL },		/* 10 digits must start 0/1 */
	{ "NL4495445B01", "NL004495445B01" },	/* Dutch: 9 digits, B, 2 */
	{ "NL 004.495.445.B01", "NL004495445B01" },	/* as printed */
	{ "NL004495445B1", NULL },		/* one digit after the B */
	{ "NL0004495445B01", NULL },		/* ten digits */
	{ "NLB01", NULL },			/* no digits */
	{ "GR094259216", "EL094259216" },	/* Greece: ISO to EL */
	{ "EL 94259216", "EL094259216" },	/* 8 digits take a 0 */
	{ "EL 4259216", NULL },			/* 7 digits: too short */
	{ "DE/136/695/976", "DE136695976" },	/* slashes */
	{ "DE_136695976", NULL },		/* underscore */
	{ "DE 13669597 6\t", NULL },		/* a tab */
	{ "", NULL },				/* nothing */
	{ "GB 980 7806 84", "GB980780684" },	/* UK, groups */
	{ "XI 980780684", "XI980780684" },	/* Northern Ireland */
	{ "che 116 046 681 tpv", "CHE116046681TPV" },	/* Romansh */
	{ "CHE116046681VAT", NULL },		/* no such suffix */
	{ "NO 987 008 644 MVA", "NO987008644MVA" },
	{ "US123456789", NULL },		/* no VAT of the US */
};

/* Whether a and b are of one length and differ in exactly one digit. */
static int
one_digit_apart(const char *a, const char *b)
{
	size_t	 i, n = 0;

	if (strlen(a) != strlen(b))
		return 0;
	for (i = 0; a[i] != '\0'; i++)
		if (a[i] != b[i]) {
			if (a[i] < '0' || a[i] > '9' || b[i] < '0' ||
			    b[i] > '9')
				return 0;
			n++;
		}
	return n == 1;
}

int
main(void)
{
	char		 out[32], small[8];
	const char	*c;
	size_t		 i;
	int		 rc;

	for (i = 0; i < NELEM(published); i++) {
		rc = vatid_normalize(published[i].raw, out, sizeof(out));
		is_i64(rc, VATID_OK, "%s has a known shape", published[i].raw);
		is_str(out, published[i].norm, "and is written %s",
		    published[i].norm);
		is_i64(vatid_check(out), VATID_OK, "%s adds up", out);
		c = vatid_country(out);
		is_str(c ? c : "(none)", published[i].country,
		    "%s is of %s", out, published[i].country);
		ok(one_digit_apart(published[i].norm, published[i].twin),
		    "%s is %s with one digit changed", published[i].twin,
		    published[i].norm);
		rc = vatid_normalize(published[i].twin, out, sizeof(out));
		is_i64(rc, VATID_OK, "%s still has the shape", out);
		is_i64(vatid_check(out), VATID_CHECK,
		    "%s does not add up", out);
	}

	for (i = 0; i < NELEM(fictional); i++)
		is_i64(vatid_check(fictional[i]), VATID_OK, "%s adds up",
		    fictional[i]);

	for (i = 0; i < NELEM(forms); i++) {
		rc = vatid_normalize(forms[i].raw, out, sizeof(out));
		if (forms[i].norm == NULL) {
			is_i64(rc, VATID_SHAPE, "\"%s\" is refused",
			    forms[i].raw);
			continue;
		}
		is_i64(rc, VATID_OK, "\"%s\" is accepted", forms[i].raw);
		is_str(out, forms[i].norm, "as %s", forms[i].norm);
	}

	/* What is not normalized has no shape; nothing overflows. */
	is_i64(vatid_check("de136695976"), VATID_SHAPE,
	    "vatid_check takes only the normalized form");
	is_i64(vatid_check("GR094259216"), VATID_SHAPE, "nor GR for EL");
	ok(vatid_country("DE 136695976") == NULL, "and has no country");
	is_i64(vatid_normalize("DE136695976", small, sizeof(small)),
	    VATID_SHAPE, "a number longer than the buffer is refused");
	is_str(small, "", "and leaves an empty string");
	is_i64(vatid_normalize("BE468561072", out, 12), VATID_SHAPE,
	    "a short form whose long form would not fit is refused");
	is_i64(vatid_normalize("BE468561072", out, 13), VATID_OK,
	    "and fits with one byte more");
	return tap_done();
}
