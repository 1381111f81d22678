/* ubl.c: an issued document as a UBL 2.1 e-invoice (EN 16931). */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
/*
 * One generator for Peppol BIS Billing 3.0 and XRechnung 3.0, both CIUS
 * of EN 16931, written with libxml2's text writer from the stored
 * document alone, so the XML, the PDF and the journal entry say the same.
 * A credit note is a UBL CreditNote, whose amounts are positive (the
 * stored ones are negative).  Element order is the UBL schema's.  No
 * element is written empty (Peppol rule R008).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlwriter.h>

#include "invoice.h"
#include "money.h"
#include "ubl.h"
#include "util.h"

#define NS_INVOICE	"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
#define NS_CREDIT	"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
#define NS_CAC		"urn:oasis:names:specification:ubl:schema:xsd:" \
			"CommonAggregateComponents-2"
#define NS_CBC		"urn:oasis:names:specification:ubl:schema:xsd:" \
			"CommonBasicComponents-2"
#define PEPPOL_PROFILE	"urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

/* The document being written and whether a call has failed. */
struct ubl {
	xmlTextWriterPtr	 w;
	const struct document	*d;
	int			 sign;	/* -1 for a credit note */
	int			 exp;	/* the currency's minor digits */
	int			 err;
};

enum ubl_profile
ubl_profile_of(const struct document *d)
{
	return strcmp(d->seller_country, "DE") == 0 &&
	    strcmp(d->buyer_country, "DE") == 0 ? UBL_XRECHNUNG : UBL_PEPPOL;
}

/* BT-24, the specification identifier. */
const char *
ubl_customization(enum ubl_profile p)
{
	return p == UBL_XRECHNUNG ?
	    "urn:cen.eu:en16931:2017#compliant#"
	    "urn:xeinkauf.de:kosit:xrechnung_3.0" :
	    "urn:cen.eu:en16931:2017#compliant#"
	    "urn:fdc:peppol.eu:2017:poacc:billing:3.0";
}

static void
start(struct ubl *u, const char *name)
{
	if (xmlTextWriterStartElement(u->w, BAD_CAST name) < 0)
		u->err = 1;
}

static void
end(struct ubl *u)
{
	if (xmlTextWriterEndElement(u->w) < 0)
		u->err = 1;
}

static void
attr(struct ubl *u, const char *name, const char *v)
{
	if (xmlTextWriterWriteAttribute(u->w, BAD_CAST name, BAD_CAST v) < 0)
		u->err = 1;
}

/* <name>text</name>, unless text is empty. */
static void
el(struct ubl *u, const char *name, const char *text)
{
	if (text[0] == '\0')
		return;
	if (xmlTextWriterWriteElement(u->w, BAD_CAST name, BAD_CAST text) < 0)
		u->err = 1;
}

/* <name a="v">text</name>, unless text is empty. */
static void
el_attr(struct ubl *u, const char *name, const char *a, const char *v,
    const char *text)
{
	if (text[0] == '\0')
		return;
	start(u, name);
	attr(u, a, v);
	if (xmlTextWriterWriteString(u->w, BAD_CAST text) < 0)
		u->err = 1;
	end(u);
}

/* An amount in minor units as the decimal UBL wants: "-12.30". */
static void
decimal(int64_t v, int exp, char *out, size_t outsz)
{
	uint64_t	 m = v < 0 ? (uint64_t)-(v + 1) + 1 : (uint64_t)v;
	uint64_t	 scale = 1;
	int		 i;

	for (i = 0; i < exp; i++)
		scale *= 10;
	if (exp == 0)
		snprintf(out, outsz, "%s%" PRIu64, v < 0 ? "-" : "", m);
	else
		snprintf(out, outsz, "%s%" PRIu64 ".%0*" PRIu64,
		    v < 0 ? "-" : "", m / scale, exp, m % scale);
}

/* An amount of the document (signed for UBL) with its currency. */
static void
amount(struct ubl *u, const char *name, cents_t v)
{
	char	 s[32];

	decimal(u->sign * v, u->exp, s, sizeof(s));
	el_attr(u, name, "currencyID", u->d->currency, s);
}

/* A date, UTC, as YYYY-MM-DD. */
static void
date_el(struct ubl *u, const char *name, int64_t t)
{
	char		 s[16];
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL) {
		u->err = 1;
		return;
	}
	strftime(s, sizeof(s), "%Y-%m-%d", &tm);
	el(u, name, s);
}

/* A period [from, to): its first and its last day. */
static void
period(struct ubl *u, int64_t from, int64_t to)
{
	if (from <= 0 || to <= from)
		return;
	start(u, "cac:InvoicePeriod");
	date_el(u, "cbc:StartDate", from);
	date_el(u, "cbc:EndDate", to - 1);
	end(u);
}

/* A VAT rate in basis points as a percentage: "19", "25.5". */
static void
percent(int32_t bp, char *out, size_t outsz)
{
	if (bp % 100 == 0)
		snprintf(out, outsz, "%d", (int)(bp / 100));
	else if (bp % 10 == 0)
		snprintf(out, outsz, "%d.%d", (int)(bp / 100),
		    (int)(bp % 100 / 10));
	else
		snprintf(out, outsz, "%d.%02d", (int)(bp / 100),
		    (int)(bp % 100));
}

/*
 * The VAT category of a rate of this document: S (standard), AE (the
 * reverse charge) or O (outside the scope of EU VAT).
 */
static const char *
category(const struct document *d, int32_t bp)
{
	if (d->reverse_charge)
		return "AE";
	return bp > 0 ? "S" : "O";
}

/* A TaxCategory (cac:TaxCategory or cac:ClassifiedTaxCategory). */
static void
tax_category(struct ubl *u, const char *name, int32_t bp, int reason)
{
	const char	*c = category(u->d, bp);
	char		 pct[16];

	start(u, name);
	el(u, "cbc:ID", c);
	if (strcmp(c, "O") != 0) {
		percent(bp, pct, sizeof(pct));
		el(u, "cbc:Percent", pct);
	}
	if (reason && strcmp(c, "AE") == 0) {
		el(u, "cbc:TaxExemptionReasonCode", "VATEX-EU-AE");
		el(u, "cbc:TaxExemptionReason", "Reverse charge");
	} else if (reason && strcmp(c, "O") == 0) {
		el(u, "cbc:TaxExemptionReasonCode", "VATEX-EU-O");
		el(u, "cbc:TaxExemptionReason", "Not subject to VAT");
	}
	start(u, "cac:TaxScheme");
	el(u, "cbc:ID", "VAT");
	end(u);
	end(u);
}

/* Whether the document has a line outside the scope of VAT (BR-O-02). */
static int
outside_scope(const struct document *d)
{
	size_t	 i;

	for (i = 0; i < d->ntaxes; i++)
		if (strcmp(category(d, d->taxes[i].rate_bp), "O") == 0)
			return 1;
	return 0;
}

/* The n-th line of a printed address ("" past its end). */
static void
address_line(const char *a, size_t n, char *out, size_t outsz)
{
	const char	*e;

	for (; n > 0 && (a = strchr(a, '\n')) != NULL; n--)
		a++;
	if (a == NULL) {
		out[0] = '\0';
		return;
	}
	e = strchr(a, '\n');
	snprintf(out, outsz, "%.*s", (int)(e ? (size_t)(e - a) : strlen(a)),
	    a);
}

static void
postal_address(struct ubl *u, const char *street, const char *street2,
    const char *city, const char *zip, const char *region,
    const char *country)
{
	start(u, "cac:PostalAddress");
	el(u, "cbc:StreetName", street);
	el(u, "cbc:AdditionalStreetName", street2);
	el(u, "cbc:CityName", city);
	el(u, "cbc:PostalZone", zip);
	el(u, "cbc:CountrySubentity", region);
	start(u, "cac:Country");
	el(u, "cbc:IdentificationCode", country);
	end(u);
	end(u);
}

static void
party_tax(struct ubl *u, const char *vat)
{
	if (vat[0] == '\0')
		return;
	start(u, "cac:PartyTaxScheme");
	el(u, "cbc:CompanyID", vat);
	start(u, "cac:TaxScheme");
	el(u, "cbc:ID", "VAT");
	end(u);
	end(u);
}

/* BG-4, the seller; no VAT identifier beside a line outside VAT. */
static void
seller(struct ubl *u)
{
	const struct document	*d = u->d;
	const struct doc_parts	*p = &d->parts;
	char			 l0[256], l1[256];

	start(u, "cac:AccountingSupplierParty");
	start(u, "cac:Party");
	el_attr(u, "cbc:EndpointID", "schemeID", "EM", p->seller_email);
	start(u, "cac:PartyName");
	el(u, "cbc:Name", d->seller_name);
	end(u);
	if (p->present)
		postal_address(u, p->seller_street, "", p->seller_city,
		    p->seller_postal_code, "", d->seller_country);
	else {
		address_line(d->seller_address, 0, l0, sizeof(l0));
		address_line(d->seller_address, 1, l1, sizeof(l1));
		postal_address(u, l0, "", l1, "", "", d->seller_country);
	}
	if (!outside_scope(d))
		party_tax(u, d->seller_vat);
	start(u, "cac:PartyLegalEntity");
	el(u, "cbc:RegistrationName", d->seller_name);
	el(u, "cbc:CompanyID", p->seller_registration);
	end(u);
	if (p->seller_email[0] != '\0' || p->seller_phone[0] != '\0') {
		start(u, "cac:Contact");
		el(u, "cbc:Name", d->seller_name);
		el(u, "cbc:Telephone", p->seller_phone);
		el(u, "cbc:ElectronicMail", p->seller_email);
		end(u);
	}
	end(u);
	end(u);
}

/* BG-7, the buyer. */
static void
buyer(struct ubl *u)
{
	const struct document	*d = u->d;
	const struct doc_parts	*p = &d->parts;
	char			 l0[256], l1[256];

	start(u, "cac:AccountingCustomerParty");
	start(u, "cac:Party");
	el_attr(u, "cbc:EndpointID", "schemeID", "EM", p->buyer_email);
	start(u, "cac:PartyName");
	el(u, "cbc:Name", d->buyer_name);
	end(u);
	if (p->present)
		postal_address(u, p->buyer_street, p->buyer_street2,
		    p->buyer_city, p->buyer_postal_code, p->buyer_region,
		    d->buyer_country);
	else {
		address_line(d->buyer_address, 0, l0, sizeof(l0));
		address_line(d->buyer_address, 1, l1, sizeof(l1));
		postal_address(u, l0, "", l1, "", "", d->buyer_country);
	}
	if (!outside_scope(d))
		party_tax(u, d->buyer_vat);
	start(u, "cac:PartyLegalEntity");
	el(u, "cbc:RegistrationName", d->buyer_name);
	end(u);
	end(u);
	end(u);
}

/* BG-16 and BT-20: how it is paid. */
static void
payment(struct ubl *u)
{
	int	 inv = u->d->kind == DOC_INVOICE;

	start(u, "cac:PaymentMeans");
	/* 48: charged to the card (or mandate) on file; 97: as credit */
	el(u, "cbc:PaymentMeansCode", inv ? "48" : "97");
	el(u, "cbc:PaymentID", u->d->number);
	end(u);
	start(u, "cac:PaymentTerms");
	el(u, "cbc:Note", inv ?
	    "Charged to the payment method on file when issued." :
	    "Credited to the customer's account, used for the next invoice "
	    "or refunded.");
	end(u);
}

/* BG-23: the VAT breakdown, one subtotal per rate. */
static void
taxes(struct ubl *u)
{
	const struct document	*d = u->d;
	size_t			 i;

	start(u, "cac:TaxTotal");
	amount(u, "cbc:TaxAmount", d->tax_total);
	for (i = 0; i < d->ntaxes; i++) {
		start(u, "cac:TaxSubtotal");
		amount(u, "cbc:TaxableAmount", d->taxes[i].net);
		amount(u, "cbc:TaxAmount", d->taxes[i].tax);
		tax_category(u, "cac:TaxCategory", d->taxes[i].rate_bp, 1);
		end(u);
	}
	end(u);
}

static void
totals(struct ubl *u)
{
	const struct document	*d = u->d;

	start(u, "cac:LegalMonetaryTotal");
	amount(u, "cbc:LineExtensionAmount", d->net_total);
	amount(u, "cbc:TaxExclusiveAmount", d->net_total);
	amount(u, "cbc:TaxInclusiveAmount", d->total);
	amount(u, "cbc:PayableAmount", d->total);
	end(u);
}

/*
 * BG-25, a line.  A prorated line's amount is not quantity × unit
 * price: its price is then the amount for the whole quantity (a base
 * quantity of that many), so quantity × price ÷ base is the amount
 * exactly (Peppol rule R120).  Prices are never negative (BR-27): a
 * negative amount has a negative quantity.
 */
static void
line(struct ubl *u, size_t i)
{
	const struct doc_line	*l = &u->d->lines[i];
	int64_t			 amt = u->sign * l->amount;
	int64_t			 qty = l->quantity > 0 ? l->quantity : 1;
	int64_t			 price = u->sign * l->unit_price;
	int			 inv = u->d->kind == DOC_INVOICE;
	char			 s[32], q[32], id[24];
	int			 exact;

	if (price < 0)
		price = -price;
	if (amt < 0)
		qty = -qty;
	exact = l->quantity > 0 && qty * price == amt;
	snprintf(id, sizeof(id), "%zu", i + 1);
	snprintf(q, sizeof(q), "%" PRId64, qty);
	start(u, inv ? "cac:InvoiceLine" : "cac:CreditNoteLine");
	el(u, "cbc:ID", id);
	el_attr(u, inv ? "cbc:InvoicedQuantity" : "cbc:CreditedQuantity",
	    "unitCode", "C62", q);
	decimal(amt, u->exp, s, sizeof(s));
	el_attr(u, "cbc:LineExtensionAmount", "currencyID", u->d->currency, s);
	period(u, l->period_start, l->period_end);
	start(u, "cac:Item");
	el(u, "cbc:Name", l->description);
	tax_category(u, "cac:ClassifiedTaxCategory", l->tax_rate_bp, 0);
	end(u);
	start(u, "cac:Price");
	decimal(exact ? price : amt < 0 ? -amt : amt, u->exp, s, sizeof(s));
	el_attr(u, "cbc:PriceAmount", "currencyID", u->d->currency, s);
	if (!exact) {
		snprintf(q, sizeof(q), "%" PRId64, qty < 0 ? -qty : qty);
		el_attr(u, "cbc:BaseQuantity", "unitCode", "C62", q);
	}
	end(u);
	end(u);
}

/*
 * Write d as a UBL Invoice or CreditNote into out (appended).  Returns 0,
 * or -1 if the document cannot be written (logged).
 */
int
ubl_document(const struct document *d, struct buf *out)
{
	const struct currency	*c = money_currency(d->currency);
	enum ubl_profile	 prof = ubl_profile_of(d);
	xmlBufferPtr		 b;
	struct ubl		 u;
	char			 note[sizeof(d->tax_note) + CHAIN_HEX + 32];
	size_t			 i;
	int			 inv = d->kind == DOC_INVOICE;

	if (c == NULL) {
		log_warnx("%s: %s: no currency %s", __func__, d->number,
		    d->currency);
		return -1;
	}
	if ((b = xmlBufferCreate()) == NULL)
		return -1;
	memset(&u, 0, sizeof(u));
	u.d = d;
	u.sign = inv ? 1 : -1;
	u.exp = c->exponent;
	if ((u.w = xmlNewTextWriterMemory(b, 0)) == NULL) {
		xmlBufferFree(b);
		return -1;
	}
	if (xmlTextWriterSetIndent(u.w, 1) < 0 ||
	    xmlTextWriterStartDocument(u.w, NULL, "UTF-8", NULL) < 0)
		u.err = 1;
	start(&u, inv ? "Invoice" : "CreditNote");
	attr(&u, "xmlns", inv ? NS_INVOICE : NS_CREDIT);
	attr(&u, "xmlns:cac", NS_CAC);
	attr(&u, "xmlns:cbc", NS_CBC);
	el(&u, "cbc:CustomizationID", ubl_customization(prof));
	el(&u, "cbc:ProfileID", PEPPOL_PROFILE);
	el(&u, "cbc:ID", d->number);
	date_el(&u, "cbc:IssueDate", d->issued_at);
	if (inv)
		date_el(&u, "cbc:DueDate", d->issued_at);
	el(&u, inv ? "cbc:InvoiceTypeCode" : "cbc:CreditNoteTypeCode",
	    inv ? "380" : "381");
	/* one note (Peppol rule R002): the VAT mention, then the seal */
	snprintf(note, sizeof(note), "%s%s%s%s", d->tax_note,
	    d->tax_note[0] != '\0' && d->seal[0] != '\0' ? "\n" : "",
	    d->seal[0] != '\0' ? "Seal (SHA-256, chained): " : "", d->seal);
	el(&u, "cbc:Note", note);
	el(&u, "cbc:DocumentCurrencyCode", d->currency);
	/* BT-10: the buyer's reference, else its order reference */
	el(&u, "cbc:BuyerReference", d->parts.buyer_reference[0] != '\0' ?
	    d->parts.buyer_reference : d->po_reference[0] != '\0' ?
	    d->po_reference : d->number);
	period(&u, d->period_start, d->period_end);
	if (d->po_reference[0] != '\0') {
		start(&u, "cac:OrderReference");
		el(&u, "cbc:ID", d->po_reference);
		end(&u);
	}
	if (!inv && d->corrects[0] != '\0') {
		start(&u, "cac:BillingReference");
		start(&u, "cac:InvoiceDocumentReference");
		el(&u, "cbc:ID", d->corrects);
		end(&u);
		end(&u);
	}
	seller(&u);
	buyer(&u);
	payment(&u);
	taxes(&u);
	totals(&u);
	for (i = 0; i < d->nlines; i++)
		line(&u, i);
	end(&u);
	if (xmlTextWriterEndDocument(u.w) < 0)
		u.err = 1;
	xmlFreeTextWriter(u.w);
	if (!u.err)
		buf_add(out, xmlBufferContent(b), (size_t)xmlBufferLength(b));
	else
		log_warnx("%s: %s: cannot write the XML", __func__, d->number);
	xmlBufferFree(b);
	return u.err ? -1 : 0;
}
