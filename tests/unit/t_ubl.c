/* t_ubl.c: e-invoices against the rules of EN 16931, XRechnung, Peppol. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
/*
 * The rules a Reckon document can break, each as an XPath 1.0 test of
 * the XML (the way the official Schematron states them; BR-S-08,
 * BR-AE-08 and BR-O-08, which compare each VAT breakdown with its
 * lines, in C).  Every document of the demo ledger must satisfy every
 * rule that applies to it; for each rule a document broken on purpose
 * (in the stored document, where a Reckon document could go wrong
 * there, else in the XML) must fail it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "db.h"
#include "demo.h"
#include "invoice.h"
#include "tap.h"
#include "ubl.h"
#include "util.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#define L	"(/*/cac:InvoiceLine|/*/cac:CreditNoteLine)"
#define T	"/*/cac:LegalMonetaryTotal"
#define S	"/*/cac:AccountingSupplierParty/cac:Party"
#define B	"/*/cac:AccountingCustomerParty/cac:Party"
#define SUB	"/*/cac:TaxTotal/cac:TaxSubtotal"
#define LCAT	"cac:Item/cac:ClassifiedTaxCategory"
#define Q	"(cbc:InvoicedQuantity|cbc:CreditedQuantity)"
#define C(x)	"round((" x ") * 100)"

enum scope { ALL, XR };		/* XR: XRechnung documents only */

static const struct rule {
	const char	*id;
	enum scope	 scope;
	const char	*test;		/* an XPath that is true if it holds */
} rules[] = {
	{ "BR-01", ALL, "/*/cbc:CustomizationID[normalize-space()]" },
	{ "BR-02", ALL, "/*/cbc:ID[normalize-space()]" },
	{ "BR-03", ALL, "/*/cbc:IssueDate[normalize-space()]" },
	{ "BR-04", ALL, "/*/cbc:InvoiceTypeCode|/*/cbc:CreditNoteTypeCode" },
	{ "BR-05", ALL, "/*/cbc:DocumentCurrencyCode[normalize-space()]" },
	{ "BR-06", ALL, S "/cac:PartyLegalEntity/cbc:RegistrationName"
	    "[normalize-space()]" },
	{ "BR-07", ALL, B "/cac:PartyLegalEntity/cbc:RegistrationName"
	    "[normalize-space()]" },
	{ "BR-08", ALL, S "/cac:PostalAddress" },
	{ "BR-09", ALL, S "/cac:PostalAddress/cac:Country/"
	    "cbc:IdentificationCode[string-length(normalize-space()) = 2]" },
	{ "BR-10", ALL, B "/cac:PostalAddress" },
	{ "BR-11", ALL, B "/cac:PostalAddress/cac:Country/"
	    "cbc:IdentificationCode[string-length(normalize-space()) = 2]" },
	{ "BR-12", ALL, T "/cbc:LineExtensionAmount" },
	{ "BR-13", ALL, T "/cbc:TaxExclusiveAmount" },
	{ "BR-14", ALL, T "/cbc:TaxInclusiveAmount" },
	{ "BR-15", ALL, T "/cbc:PayableAmount" },
	{ "BR-16", ALL, "count(" L ") >= 1" },
	{ "BR-21", ALL, "not(" L "[not(cbc:ID[normalize-space()])])" },
	{ "BR-22", ALL, "not(" L "[not(" Q ")])" },
	{ "BR-23", ALL, "not(" L "[not(" Q "/@unitCode[normalize-space()])])" },
	{ "BR-24", ALL, "not(" L "[not(cbc:LineExtensionAmount)])" },
	{ "BR-25", ALL, "not(" L "[not(cac:Item/cbc:Name[normalize-space()])])" },
	{ "BR-26", ALL, "not(" L "[not(cac:Price/cbc:PriceAmount)])" },
	{ "BR-27", ALL, "not(" L "[number(cac:Price/cbc:PriceAmount) < 0])" },
	/* a period ends on or after its start (dates compare as numbers) */
	{ "BR-29", ALL, "not(/*/cac:InvoicePeriod[number(translate("
	    "cbc:EndDate, '-', '')) < number(translate(cbc:StartDate, '-', "
	    "''))])" },
	{ "BR-30", ALL, "not(" L "/cac:InvoicePeriod[number(translate("
	    "cbc:EndDate, '-', '')) < number(translate(cbc:StartDate, '-', "
	    "''))])" },
	{ "BR-49", ALL, "not(/*/cac:PaymentMeans[not(cbc:PaymentMeansCode"
	    "[normalize-space()])])" },
	{ "BR-55", ALL, "not(/*/cbc:CreditNoteTypeCode) or /*/cac:"
	    "BillingReference/cac:InvoiceDocumentReference/cbc:ID"
	    "[normalize-space()]" },
	{ "BR-CO-10", ALL, C("sum(" L "/cbc:LineExtensionAmount)") " = "
	    C("number(" T "/cbc:LineExtensionAmount)") },
	{ "BR-CO-13", ALL, C("number(" T "/cbc:TaxExclusiveAmount)") " = "
	    C("number(" T "/cbc:LineExtensionAmount)") },
	{ "BR-CO-14", ALL, C("number(/*/cac:TaxTotal/cbc:TaxAmount)") " = "
	    C("sum(" SUB "/cbc:TaxAmount)") },
	{ "BR-CO-15", ALL, C("number(" T "/cbc:TaxInclusiveAmount)") " = "
	    C("number(" T "/cbc:TaxExclusiveAmount) + "
	    "number(/*/cac:TaxTotal/cbc:TaxAmount)") },
	{ "BR-CO-16", ALL, C("number(" T "/cbc:PayableAmount)") " = "
	    C("number(" T "/cbc:TaxInclusiveAmount)") },
	/* the VAT of a rate is its base times the rate, to the cent */
	{ "BR-CO-17", ALL, "not(" SUB "[cac:TaxCategory/cbc:Percent]"
	    "[" C("cbc:TaxAmount") " - round(cbc:TaxableAmount * "
	    "cac:TaxCategory/cbc:Percent) > 1 or " C("cbc:TaxAmount")
	    " - round(cbc:TaxableAmount * cac:TaxCategory/cbc:Percent) < -1])" },
	{ "BR-CO-18", ALL, "count(" SUB ") >= 1" },
	{ "BR-CO-19", ALL, "not(/*/cac:InvoicePeriod[not(cbc:StartDate or "
	    "cbc:EndDate)])" },
	{ "BR-CO-20", ALL, "not(" L "/cac:InvoicePeriod[not(cbc:StartDate or "
	    "cbc:EndDate)])" },
	{ "BR-CO-25", ALL, "number(" T "/cbc:PayableAmount) <= 0 or "
	    "/*/cbc:DueDate or /*/cac:PaymentTerms/cbc:Note[normalize-space()]" },
	{ "BR-CO-26", ALL, S "/cac:PartyTaxScheme/cbc:CompanyID or "
	    S "/cac:PartyLegalEntity/cbc:CompanyID or "
	    S "/cac:PartyIdentification/cbc:ID" },
	{ "BR-S-01", ALL, "not(" L "/" LCAT "[cbc:ID = 'S']) or "
	    SUB "/cac:TaxCategory[cbc:ID = 'S']" },
	{ "BR-S-02", ALL, "not(" L "/" LCAT "[cbc:ID = 'S']) or "
	    S "/cac:PartyTaxScheme/cbc:CompanyID" },
	{ "BR-S-05", ALL, "not(" L "/" LCAT "[cbc:ID = 'S']"
	    "[not(number(cbc:Percent) > 0)])" },
	{ "BR-AE-01", ALL, "not(" L "/" LCAT "[cbc:ID = 'AE']) or "
	    SUB "/cac:TaxCategory[cbc:ID = 'AE']" },
	{ "BR-AE-02", ALL, "not(" L "/" LCAT "[cbc:ID = 'AE']) or ("
	    S "/cac:PartyTaxScheme/cbc:CompanyID and (" B "/cac:PartyTaxScheme/"
	    "cbc:CompanyID or " B "/cac:PartyLegalEntity/cbc:CompanyID))" },
	{ "BR-AE-05", ALL, "not(" L "/" LCAT "[cbc:ID = 'AE']"
	    "[number(cbc:Percent) != 0])" },
	{ "BR-AE-10", ALL, "not(" SUB "/cac:TaxCategory[cbc:ID = 'AE']"
	    "[not(cbc:TaxExemptionReason or cbc:TaxExemptionReasonCode)])" },
	{ "BR-O-01", ALL, "not(" L "/" LCAT "[cbc:ID = 'O']) or "
	    SUB "/cac:TaxCategory[cbc:ID = 'O']" },
	{ "BR-O-02", ALL, "not(" L "/" LCAT "[cbc:ID = 'O']) or not("
	    S "/cac:PartyTaxScheme or " B "/cac:PartyTaxScheme)" },
	{ "BR-O-05", ALL, "not(" L "/" LCAT "[cbc:ID = 'O'][cbc:Percent])" },
	{ "BR-O-10", ALL, "not(" SUB "/cac:TaxCategory[cbc:ID = 'O']"
	    "[not(cbc:TaxExemptionReason or cbc:TaxExemptionReasonCode)])" },
	{ "BR-O-11", ALL, "not(" SUB "/cac:TaxCategory[cbc:ID = 'O']) or "
	    "not(" SUB "/cac:TaxCategory[cbc:ID != 'O'])" },
	{ "BR-DE-1", XR, "/*/cac:PaymentMeans/cbc:PaymentMeansCode" },
	{ "BR-DE-2", XR, S "/cac:Contact" },
	{ "BR-DE-3", XR, S "/cac:PostalAddress/cbc:CityName" },
	{ "BR-DE-4", XR, S "/cac:PostalAddress/cbc:PostalZone" },
	{ "BR-DE-5", XR, S "/cac:Contact/cbc:Name" },
	{ "BR-DE-6", XR, S "/cac:Contact/cbc:Telephone" },
	{ "BR-DE-7", XR, S "/cac:Contact/cbc:ElectronicMail" },
	{ "BR-DE-8", XR, B "/cac:PostalAddress/cbc:CityName" },
	{ "BR-DE-9", XR, B "/cac:PostalAddress/cbc:PostalZone" },
	{ "BR-DE-15", XR, "/*/cbc:BuyerReference[normalize-space()]" },
	{ "BR-DE-21", XR, "/*/cbc:CustomizationID = "
	    "'urn:cen.eu:en16931:2017#compliant#"
	    "urn:xeinkauf.de:kosit:xrechnung_3.0'" },
	{ "PEPPOL-R002", ALL, "count(/*/cbc:Note) <= 1" },
	{ "PEPPOL-R003", ALL, "/*/cbc:BuyerReference or "
	    "/*/cac:OrderReference/cbc:ID" },
	{ "PEPPOL-R008", ALL, "not(//*[not(*) and not(normalize-space())])" },
	{ "PEPPOL-R010", ALL, B "/cbc:EndpointID[normalize-space()]"
	    "[@schemeID]" },
	{ "PEPPOL-R020", ALL, S "/cbc:EndpointID[normalize-space()]"
	    "[@schemeID]" },
	{ "PEPPOL-R120", ALL, "not(" L "[cac:Price/cbc:BaseQuantity][" C(
	    "cbc:LineExtensionAmount") " != " C(Q " * cac:Price/cbc:PriceAmount"
	    " div cac:Price/cbc:BaseQuantity") "]) and not(" L
	    "[not(cac:Price/cbc:BaseQuantity)][" C("cbc:LineExtensionAmount")
	    " != " C(Q " * cac:Price/cbc:PriceAmount") "])" },
	{ "BR-x-08", ALL, NULL },	/* in C: breakdown = its lines */
};

/* A parsed e-invoice and an XPath context with the UBL prefixes. */
struct x {
	xmlDocPtr		 doc;
	xmlXPathContextPtr	 ctx;
};

static int
x_open(struct x *x, const char *xml, size_t len)
{
	x->doc = xmlReadMemory(xml, (int)len, "ubl.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (x->doc == NULL)
		return -1;
	x->ctx = xmlXPathNewContext(x->doc);
	xmlXPathRegisterNs(x->ctx, BAD_CAST "cac", BAD_CAST
	    "urn:oasis:names:specification:ubl:schema:xsd:"
	    "CommonAggregateComponents-2");
	xmlXPathRegisterNs(x->ctx, BAD_CAST "cbc", BAD_CAST
	    "urn:oasis:names:specification:ubl:schema:xsd:"
	    "CommonBasicComponents-2");
	return 0;
}

static void
x_close(struct x *x)
{
	xmlXPathFreeContext(x->ctx);
	xmlFreeDoc(x->doc);
}

/* The XPath test as a boolean; -1 if it does not evaluate. */
static int
x_true(struct x *x, const char *test)
{
	xmlXPathObjectPtr	 o;
	int			 v;

	if ((o = xmlXPathEvalExpression(BAD_CAST test, x->ctx)) == NULL)
		return -1;
	v = xmlXPathCastToBoolean(o);
	xmlXPathFreeObject(o);
	return v;
}

static double
x_num(struct x *x, xmlNodePtr at, const char *expr)
{
	xmlXPathObjectPtr	 o;
	double			 v;

	x->ctx->node = at;
	o = xmlXPathEvalExpression(BAD_CAST expr, x->ctx);
	v = o != NULL ? xmlXPathCastToNumber(o) : NAN;
	xmlXPathFreeObject(o);
	x->ctx->node = xmlDocGetRootElement(x->doc);
	return v;
}

static char *
x_str(struct x *x, xmlNodePtr at, const char *expr)
{
	xmlXPathObjectPtr	 o;
	xmlChar			*v;
	char			*s;

	x->ctx->node = at;
	o = xmlXPathEvalExpression(BAD_CAST expr, x->ctx);
	v = o != NULL ? xmlXPathCastToString(o) : NULL;
	s = xstrdup(v != NULL ? (char *)v : "");
	xmlFree(v);
	xmlXPathFreeObject(o);
	x->ctx->node = xmlDocGetRootElement(x->doc);
	return s;
}

/*
 * BR-S-08, BR-AE-08, BR-O-08: each VAT breakdown's taxable amount is the
 * sum of the line amounts of its category and rate.
 */
static int
breakdowns_match(struct x *x)
{
	xmlXPathObjectPtr	 subs, lines;
	xmlNodeSetPtr		 sn, ln;
	double			 sum;
	char			*cat, *pct, *lc, *lp;
	int			 i, j, good = 1;

	subs = xmlXPathEvalExpression(BAD_CAST SUB, x->ctx);
	lines = xmlXPathEvalExpression(BAD_CAST L, x->ctx);
	if (subs == NULL || lines == NULL) {
		xmlXPathFreeObject(subs);
		xmlXPathFreeObject(lines);
		return 0;
	}
	sn = subs->nodesetval;
	ln = lines->nodesetval;
	for (i = 0; sn != NULL && i < sn->nodeNr; i++) {
		cat = x_str(x, sn->nodeTab[i], "string(cac:TaxCategory/cbc:ID)");
		pct = x_str(x, sn->nodeTab[i],
		    "string(cac:TaxCategory/cbc:Percent)");
		for (sum = 0, j = 0; ln != NULL && j < ln->nodeNr; j++) {
			lc = x_str(x, ln->nodeTab[j], "string(" LCAT "/cbc:ID)");
			lp = x_str(x, ln->nodeTab[j],
			    "string(" LCAT "/cbc:Percent)");
			if (strcmp(lc, cat) == 0 && strcmp(lp, pct) == 0)
				sum += x_num(x, ln->nodeTab[j],
				    "number(cbc:LineExtensionAmount)");
			free(lc);
			free(lp);
		}
		if (llround(sum * 100) != llround(x_num(x, sn->nodeTab[i],
		    "number(cbc:TaxableAmount)") * 100))
			good = 0;
		free(cat);
		free(pct);
	}
	xmlXPathFreeObject(subs);
	xmlXPathFreeObject(lines);
	return good;
}

/*
 * Check x against every rule that applies; put the ids of those it
 * breaks, space-separated, into bad.  Returns how many it breaks.
 */
static int
check(struct x *x, char *bad, size_t badsz)
{
	int	 xr, n = 0, v;
	size_t	 i, len = 0;

	bad[0] = '\0';
	xr = x_true(x, "contains(/*/cbc:CustomizationID, 'xrechnung')") == 1;
	for (i = 0; i < NELEM(rules); i++) {
		if (rules[i].scope == XR && !xr)
			continue;
		v = rules[i].test != NULL ? x_true(x, rules[i].test) :
		    breakdowns_match(x);
		if (v != 1) {
			n++;
			len += (size_t)snprintf(bad + len, badsz - len, "%s%s%s",
			    len ? " " : "", rules[i].id, v == -1 ? "(?)" : "");
			if (len >= badsz)
				len = badsz - 1;
		}
	}
	return n;
}

/* The e-invoice of d, parsed into *x. */
static int
x_of(const struct document *d, struct x *x)
{
	struct buf	 b;
	int		 rc;

	memset(&b, 0, sizeof(b));
	rc = ubl_document(d, &b) == 0 && x_open(x, b.p, b.len) == 0 ? 0 : -1;
	buf_free(&b);
	return rc;
}

/* Whether rule id is among the space-separated ids of bad. */
static int
among(const char *bad, const char *id)
{
	size_t	 n = strlen(id);
	const char *p;

	for (p = bad; (p = strstr(p, id)) != NULL; p += n)
		if ((p == bad || p[-1] == ' ') && (p[n] == ' ' ||
		    p[n] == '\0' || p[n] == '('))
			return 1;
	return 0;
}

/* Breaking a stored document, the way one could come out wrong. */
static void b_lines(struct document *d) { d->net_total += 1; }
static void b_nolines(struct document *d) { d->nlines = 0; }
static void b_tax(struct document *d) { d->taxes[0].tax += 3; }
static void b_taxtotal(struct document *d) { d->tax_total += 1; }
static void b_total(struct document *d) { d->total += 1; }
static void b_svat(struct document *d) { d->seller_vat[0] = '\0'; }
static void b_bvat(struct document *d) { d->buyer_vat[0] = '\0'; }
static void b_bemail(struct document *d) { d->parts.buyer_email[0] = '\0'; }
static void b_semail(struct document *d)
{
	d->parts.seller_email[0] = '\0';
	d->parts.seller_phone[0] = '\0';
}
static void b_scity(struct document *d) { d->parts.seller_city[0] = '\0'; }
static void b_szip(struct document *d)
{
	d->parts.seller_postal_code[0] = '\0';
}
static void b_sphone(struct document *d) { d->parts.seller_phone[0] = '\0'; }
static void b_bcity(struct document *d) { d->parts.buyer_city[0] = '\0'; }
static void b_bzip(struct document *d)
{
	d->parts.buyer_postal_code[0] = '\0';
}
static void b_sname(struct document *d) { d->seller_name[0] = '\0'; }
static void b_bname(struct document *d) { d->buyer_name[0] = '\0'; }
static void b_scountry(struct document *d) { d->seller_country[0] = '\0'; }
static void b_bcountry(struct document *d) { d->buyer_country[0] = '\0'; }
static void b_desc(struct document *d) { d->lines[0].description[0] = '\0'; }
static void b_number(struct document *d) { d->number[0] = '\0'; }
static void b_corrects(struct document *d) { d->corrects[0] = '\0'; }
static void b_sreg(struct document *d)
{
	d->parts.seller_registration[0] = '\0';
}
/* A line outside VAT beside standard ones, in the breakdown too. */
static void b_rate0(struct document *d)
{
	d->lines[0].tax_rate_bp = 0;
	d->lines[0].tax_amount = 0;
	d->taxes[0].net -= d->lines[0].amount;
	d->taxes[d->ntaxes++] = (struct doc_tax){ 0, d->lines[0].amount, 0 };
}

/* The base document a breaker starts from. */
enum base { DOMESTIC, REVERSE, OUTSIDE, CREDIT, NBASES };

static const struct breaker {
	const char	*rule;
	enum base	 base;
	void		(*f)(struct document *);	/* or: */
	const char	*xpath;		/* the node to remove from the XML */
} breakers[] = {
	{ "BR-01", DOMESTIC, NULL, "/*/cbc:CustomizationID" },
	{ "BR-02", DOMESTIC, b_number, NULL },
	{ "BR-03", DOMESTIC, NULL, "/*/cbc:IssueDate" },
	{ "BR-04", CREDIT, NULL, "/*/cbc:CreditNoteTypeCode" },
	{ "BR-05", DOMESTIC, NULL, "/*/cbc:DocumentCurrencyCode" },
	{ "BR-06", DOMESTIC, b_sname, NULL },
	{ "BR-07", DOMESTIC, b_bname, NULL },
	{ "BR-08", DOMESTIC, NULL, S "/cac:PostalAddress" },
	{ "BR-09", DOMESTIC, b_scountry, NULL },
	{ "BR-10", DOMESTIC, NULL, B "/cac:PostalAddress" },
	{ "BR-11", OUTSIDE, b_bcountry, NULL },
	{ "BR-12", DOMESTIC, NULL, T "/cbc:LineExtensionAmount" },
	{ "BR-13", DOMESTIC, NULL, T "/cbc:TaxExclusiveAmount" },
	{ "BR-14", DOMESTIC, NULL, T "/cbc:TaxInclusiveAmount" },
	{ "BR-15", DOMESTIC, NULL, T "/cbc:PayableAmount" },
	{ "BR-16", DOMESTIC, b_nolines, NULL },
	{ "BR-21", DOMESTIC, NULL, "/*/cac:InvoiceLine/cbc:ID" },
	{ "BR-22", CREDIT, NULL, "/*/cac:CreditNoteLine/cbc:CreditedQuantity" },
	{ "BR-23", DOMESTIC, NULL, "@unit" },
	{ "BR-24", DOMESTIC, NULL,
	    "/*/cac:InvoiceLine/cbc:LineExtensionAmount" },
	{ "BR-25", DOMESTIC, b_desc, NULL },
	{ "BR-26", DOMESTIC, NULL, "/*/cac:InvoiceLine/cac:Price/cbc:PriceAmount" },
	{ "BR-27", DOMESTIC, NULL, "-/*/cac:InvoiceLine/cac:Price/cbc:PriceAmount" },
	{ "BR-29", DOMESTIC, NULL, "~/*/cac:InvoicePeriod/cbc:StartDate" },
	{ "BR-30", DOMESTIC, NULL, "~" L "/cac:InvoicePeriod/cbc:StartDate" },
	{ "BR-49", DOMESTIC, NULL, "/*/cac:PaymentMeans/cbc:PaymentMeansCode" },
	{ "BR-55", CREDIT, b_corrects, NULL },
	{ "BR-CO-10", DOMESTIC, b_lines, NULL },
	{ "BR-CO-13", DOMESTIC, NULL, "=" T "/cbc:TaxExclusiveAmount" },
	{ "BR-CO-14", DOMESTIC, b_taxtotal, NULL },
	{ "BR-CO-15", DOMESTIC, b_total, NULL },
	{ "BR-CO-16", DOMESTIC, NULL, "=" T "/cbc:PayableAmount" },
	{ "BR-CO-17", DOMESTIC, b_tax, NULL },
	{ "BR-CO-18", DOMESTIC, NULL, SUB },
	{ "BR-CO-19", DOMESTIC, NULL, "/*/cac:InvoicePeriod/cbc:StartDate|"
	    "/*/cac:InvoicePeriod/cbc:EndDate" },
	{ "BR-CO-20", DOMESTIC, NULL, L "/cac:InvoicePeriod/cbc:StartDate|"
	    L "/cac:InvoicePeriod/cbc:EndDate" },
	{ "BR-CO-25", DOMESTIC, NULL, "/*/cbc:DueDate|/*/cac:PaymentTerms" },
	{ "BR-CO-26", OUTSIDE, b_sreg, NULL },
	{ "BR-S-01", DOMESTIC, NULL, SUB },
	{ "BR-S-02", DOMESTIC, b_svat, NULL },
	{ "BR-S-05", DOMESTIC, NULL, "=" L "/" LCAT "/cbc:Percent" },
	{ "BR-AE-01", REVERSE, NULL, SUB },
	{ "BR-AE-02", REVERSE, b_bvat, NULL },
	{ "BR-AE-05", REVERSE, NULL, "=" L "/" LCAT "/cbc:Percent" },
	{ "BR-AE-10", REVERSE, NULL,
	    SUB "/cac:TaxCategory/cbc:TaxExemptionReason|"
	    SUB "/cac:TaxCategory/cbc:TaxExemptionReasonCode" },
	{ "BR-O-01", OUTSIDE, NULL, SUB },
	{ "BR-O-02", OUTSIDE, NULL, "+vat" },
	{ "BR-O-05", OUTSIDE, NULL, "+percent" },
	{ "BR-O-10", OUTSIDE, NULL,
	    SUB "/cac:TaxCategory/cbc:TaxExemptionReason|"
	    SUB "/cac:TaxCategory/cbc:TaxExemptionReasonCode" },
	{ "BR-O-11", DOMESTIC, b_rate0, NULL },
	{ "BR-DE-1", DOMESTIC, NULL, "/*/cac:PaymentMeans" },
	{ "BR-DE-2", DOMESTIC, b_semail, NULL },
	{ "BR-DE-3", DOMESTIC, b_scity, NULL },
	{ "BR-DE-4", DOMESTIC, b_szip, NULL },
	{ "BR-DE-5", DOMESTIC, NULL, S "/cac:Contact/cbc:Name" },
	{ "BR-DE-6", DOMESTIC, b_sphone, NULL },
	{ "BR-DE-7", DOMESTIC, NULL, S "/cac:Contact/cbc:ElectronicMail" },
	{ "BR-DE-8", DOMESTIC, b_bcity, NULL },
	{ "BR-DE-9", DOMESTIC, b_bzip, NULL },
	{ "BR-DE-15", DOMESTIC, NULL, "/*/cbc:BuyerReference" },
	{ "BR-DE-21", DOMESTIC, NULL, "=/*/cbc:CustomizationID" },
	{ "PEPPOL-R002", OUTSIDE, NULL, "+note" },
	{ "PEPPOL-R003", DOMESTIC, NULL, "/*/cbc:BuyerReference" },
	{ "PEPPOL-R008", DOMESTIC, NULL, "=/*/cbc:DocumentCurrencyCode" },
	{ "PEPPOL-R010", OUTSIDE, b_bemail, NULL },
	{ "PEPPOL-R020", OUTSIDE, b_semail, NULL },
	{ "PEPPOL-R120", DOMESTIC, NULL, "=" L "/cac:Price/cbc:PriceAmount" },
	{ "BR-x-08", REVERSE, NULL, "=" L "/cbc:LineExtensionAmount" },
};

/*
 * Break the XML as xp says: "/path" removes the nodes, "=/path" empties
 * them (or, for an amount, changes it), "-/path" makes an amount
 * negative, "~/path" dates it 2099-12-31, "@unit" removes the lines'
 * unit codes, "+vat", "+percent", "+note" add what is not allowed.
 */
static void
x_break(struct x *x, const char *xp)
{
	xmlXPathObjectPtr	 o;
	xmlNodeSetPtr		 ns;
	xmlNodePtr		 n, p;
	const char		*path = strchr("=-~", xp[0]) ? xp + 1 : xp;
	int			 i;

	if (strcmp(xp, "@unit") == 0) {
		o = xmlXPathEvalExpression(BAD_CAST L "/cbc:InvoicedQuantity|"
		    L "/cbc:CreditedQuantity", x->ctx);
		for (i = 0; o != NULL && o->nodesetval != NULL &&
		    i < o->nodesetval->nodeNr; i++)
			xmlUnsetProp(o->nodesetval->nodeTab[i],
			    BAD_CAST "unitCode");
		xmlXPathFreeObject(o);
		return;
	}
	if (xp[0] == '+') {
		if (strcmp(xp, "+vat") == 0) {
			o = xmlXPathEvalExpression(BAD_CAST B "/cac:PostalAddress",
			    x->ctx);
			n = o->nodesetval->nodeTab[0];
			p = xmlNewNode(n->ns, BAD_CAST "PartyTaxScheme");
			xmlNewChild(p, xmlSearchNs(x->doc, n, BAD_CAST "cbc"),
			    BAD_CAST "CompanyID", BAD_CAST "US123");
			xmlAddNextSibling(n, p);
		} else if (strcmp(xp, "+percent") == 0) {
			o = xmlXPathEvalExpression(BAD_CAST L "/" LCAT "/cbc:ID",
			    x->ctx);
			n = o->nodesetval->nodeTab[0];
			xmlAddNextSibling(n, xmlNewDocNode(x->doc, n->ns,
			    BAD_CAST "Percent", BAD_CAST "0"));
		} else {
			o = xmlXPathEvalExpression(BAD_CAST "/*/cbc:Note",
			    x->ctx);
			n = o->nodesetval->nodeTab[0];
			xmlAddNextSibling(n, xmlNewDocNode(x->doc, n->ns,
			    BAD_CAST "Note", BAD_CAST "another note"));
		}
		xmlXPathFreeObject(o);
		return;
	}
	if ((o = xmlXPathEvalExpression(BAD_CAST path, x->ctx)) == NULL)
		return;
	ns = o->nodesetval;
	for (i = 0; ns != NULL && i < ns->nodeNr; i++) {
		n = ns->nodeTab[i];
		if (path == xp) {
			xmlUnlinkNode(n);
			xmlFreeNode(n);
		} else if (xp[0] == '-')
			xmlNodeSetContent(n, BAD_CAST "-1.00");
		else if (xp[0] == '~')	/* a start after any end */
			xmlNodeSetContent(n, BAD_CAST "2099-12-31");
		else if (xmlHasProp(n, BAD_CAST "currencyID"))
			xmlNodeSetContent(n, BAD_CAST "1.23");
		else if (strcmp((const char *)n->name, "Percent") == 0) {
			xmlChar	*v = xmlNodeGetContent(n);

			xmlNodeSetContent(n, BAD_CAST (xmlStrEqual(v,
			    BAD_CAST "0") ? "19" : "0"));
			xmlFree(v);
		}
		else
			xmlNodeSetContent(n, BAD_CAST "");
		if (xp[0] == '=' && strcmp(path, "/*/cbc:CustomizationID") == 0)
			xmlNodeSetContent(n, BAD_CAST "urn:cen.eu:en16931:2017"
			    "#compliant#urn:xeinkauf.de:kosit:xrechnung_2.3");
	}
	xmlXPathFreeObject(o);
}

static const char *const base_sql[NBASES] = {
	"SELECT max(id) FROM document WHERE kind = 'invoice' AND "
	    "buyer_country = 'DE'",
	"SELECT max(id) FROM document WHERE reverse_charge = 1",
	"SELECT max(id) FROM document WHERE kind = 'invoice' AND "
	    "buyer_country = 'US'",
	"SELECT max(id) FROM document WHERE kind = 'credit_note'",
};

static struct db_sql q_ids = { .text = "SELECT id FROM document ORDER BY id" };

int
main(void)
{
	char		 dir[] = "/tmp/t_ubl.XXXXXX", path[128], cmd[160];
	char		 bad[1024];
	struct db	*db;
	struct document	*d, *base[NBASES] = { NULL };
	struct db_sql	 q[NBASES];
	struct x	 x;
	sqlite3_stmt	*st;
	int64_t		 now, id, ids[256];
	size_t		 i, n = 0, kinds[2] = { 0, 0 }, xr = 0;
	int		 rc, all = 1;

	xmlInitParser();
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	if (db_open(path, DB_MIGRATE, &db) != DB_OK)
		return 1;
	if (util_time_parse("2026-11-15T12:00:00Z", &now) == -1)
		return 1;
	is_i64(demo_create(db, now, NULL), DB_OK, "the demo is created");

	/* Every document of the demo satisfies every rule that applies. */
	if ((st = db_sql(db, &q_ids)) == NULL)
		return 1;
	while (db_step(db, st) == DB_ROW && n < NELEM(ids))
		ids[n++] = db_col_int(st, 0);
	db_reset(st);
	ok(n > 10, "the demo has %zu documents", n);
	for (i = 0; i < n; i++) {
		if (invoice_get(db, ids[i], &d) != INV_OK) {
			all = 0;
			continue;
		}
		kinds[d->kind == DOC_INVOICE]++;
		xr += ubl_profile_of(d) == UBL_XRECHNUNG;
		if (x_of(d, &x) == -1) {
			ok(0, "%s: the XML parses", d->number);
			all = 0;
		} else {
			if (check(&x, bad, sizeof(bad)) != 0) {
				ok(0, "%s satisfies every rule", d->number);
				diag("  breaks %s", bad);
				all = 0;
			}
			x_close(&x);
		}
		invoice_free(d);
	}
	ok(all, "all %zu (%zu invoices, %zu credit notes, %zu XRechnung) "
	    "satisfy the %zu rules", n, kinds[1], kinds[0], xr, NELEM(rules));

	/* Each rule, broken on purpose, is caught. */
	for (i = 0; i < NBASES; i++) {
		memset(&q[i], 0, sizeof(q[i]));
		q[i].text = base_sql[i];
		if (db_sql_int(db, &q[i], &id, "") != DB_OK ||
		    invoice_get(db, id, &base[i]) != INV_OK)
			return 1;
	}
	is_i64(ubl_profile_of(base[DOMESTIC]), UBL_XRECHNUNG,
	    "a German buyer's document is XRechnung");
	is_i64(ubl_profile_of(base[REVERSE]), UBL_PEPPOL,
	    "a Dutch buyer's is Peppol BIS");
	for (i = 0; i < NELEM(breakers); i++) {
		const struct breaker	*b = &breakers[i];
		struct document		 c = *base[b->base];
		struct doc_line		 lines[INVOICE_MAX_LINES > 64 ? 64 :
					    INVOICE_MAX_LINES];

		if (c.nlines > NELEM(lines))
			return 1;
		memcpy(lines, c.lines, c.nlines * sizeof(*lines));
		c.lines = lines;
		if (b->f != NULL)
			b->f(&c);
		if (x_of(&c, &x) == -1) {
			ok(0, "%s: broken, the XML still parses", b->rule);
			continue;
		}
		if (b->xpath != NULL)
			x_break(&x, b->xpath);
		rc = check(&x, bad, sizeof(bad));
		if (!ok(rc > 0 && among(bad, b->rule), "%s broken is caught",
		    b->rule))
			diag("  breaks: %s", bad[0] ? bad : "nothing");
		x_close(&x);
	}
	for (i = 0; i < NELEM(rules); i++) {
		size_t	 k;

		for (k = 0; k < NELEM(breakers); k++)
			if (strcmp(breakers[k].rule, rules[i].id) == 0)
				break;
		if (k == NELEM(breakers))
			ok(0, "%s has a test that breaks it", rules[i].id);
	}

	for (i = 0; i < NBASES; i++)
		invoice_free(base[i]);
	db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	xmlCleanupParser();
	return tap_done();
}
