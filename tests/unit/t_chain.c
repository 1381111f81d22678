/* t_chain.c: a seal covers all a document holds as issued, nothing after. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "chain.h"
#include "invoice.h"
#include "tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define PREV	"1111111111111111111111111111111111111111111111111111111111111111"
#define ZERO	"0000000000000000000000000000000000000000000000000000000000000000"

static struct doc_line	 lines[2];
static struct receipt	 receipt = { 7, 1767225600, 2380, "Visa ending 4242" };

static void
sample(struct document *d)
{
	memset(d, 0, sizeof(*d));
	memset(lines, 0, sizeof(lines));
	d->org_id = 3;
	d->kind = DOC_INVOICE;
	snprintf(d->number, sizeof(d->number), "INV-2026-000042");
	d->issued_at = 1764547200;
	d->period_start = 1764547200;
	d->period_end = 1767225600;
	snprintf(d->currency, sizeof(d->currency), "EUR");
	snprintf(d->paper, sizeof(d->paper), "A4");
	snprintf(d->seller_name, sizeof(d->seller_name), "Reckon Demo GmbH");
	snprintf(d->seller_address, sizeof(d->seller_address),
	    "Friedrichstraße 68\n10117 Berlin");
	snprintf(d->seller_country, sizeof(d->seller_country), "DE");
	snprintf(d->seller_vat, sizeof(d->seller_vat), "DE314159262");
	snprintf(d->buyer_name, sizeof(d->buyer_name), "Acme Labs GmbH");
	snprintf(d->buyer_address, sizeof(d->buyer_address),
	    "Torstraße 1\n10119 Berlin");
	snprintf(d->buyer_country, sizeof(d->buyer_country), "DE");
	snprintf(d->buyer_vat, sizeof(d->buyer_vat), "DE987654328");
	snprintf(d->po_reference, sizeof(d->po_reference), "PO-4711");
	snprintf(d->tax_note, sizeof(d->tax_note), "VAT 19 %%");
	d->net_total = 2000;
	d->tax_total = 380;
	d->total = 2380;
	snprintf(lines[0].description, sizeof(lines[0].description),
	    "Sensor plan");
	lines[0].period_start = d->period_start;
	lines[0].period_end = d->period_end;
	lines[0].quantity = 2;
	lines[0].unit_price = 500;
	lines[0].amount = 1000;
	lines[0].tax_rate_bp = 1900;
	lines[0].tax_amount = 190;
	lines[0].subscription_id = 9;
	lines[1] = lines[0];
	snprintf(lines[1].description, sizeof(lines[1].description),
	    "Gateway plan");
	lines[1].subscription_id = 10;
	d->lines = lines;
	d->nlines = 2;
}

/* One change each to what a document holds as issued. */
static void m_org(struct document *d) { d->org_id++; }
static void m_kind(struct document *d) { d->kind = DOC_CREDIT_NOTE; }
static void m_number(struct document *d) { d->number[14] = '3'; }
static void m_issued(struct document *d) { d->issued_at++; }
static void m_pstart(struct document *d) { d->period_start--; }
static void m_pend(struct document *d) { d->period_end++; }
static void m_currency(struct document *d) { d->currency[0] = 'G'; }
static void m_paper(struct document *d) { strcpy(d->paper, "Letter"); }
static void m_sname(struct document *d) { strcat(d->seller_name, "."); }
static void m_saddr(struct document *d) { d->seller_address[18] = ' '; }
static void m_scountry(struct document *d) { strcpy(d->seller_country, "AT"); }
static void m_svat(struct document *d) { d->seller_vat[0] = '\0'; }
static void m_bname(struct document *d) { d->buyer_name[0] = 'a'; }
static void m_baddr(struct document *d) { strcat(d->buyer_address, "\n"); }
static void m_bcountry(struct document *d) { strcpy(d->buyer_country, "NL"); }
static void m_bvat(struct document *d) { d->buyer_vat[10] = '9'; }
static void m_po(struct document *d) { d->po_reference[0] = '\0'; }
static void m_reverse(struct document *d) { d->reverse_charge = 1; }
static void m_note(struct document *d) { d->tax_note[0] = '\0'; }
static void m_net(struct document *d) { d->net_total++; }
static void m_tax(struct document *d) { d->tax_total--; }
static void m_total(struct document *d) { d->total++; }
static void m_corrects(struct document *d) { strcpy(d->corrects, "INV-1"); }
static void m_nlines(struct document *d) { d->nlines = 1; }
static void m_desc(struct document *d) { d->lines[1].description[0] = 'g'; }
static void m_lstart(struct document *d) { d->lines[0].period_start++; }
static void m_lend(struct document *d) { d->lines[1].period_end--; }
static void m_qty(struct document *d) { d->lines[0].quantity = 3; }
static void m_unit(struct document *d) { d->lines[1].unit_price = 501; }
static void m_amount(struct document *d) { d->lines[0].amount = 1001; }
static void m_rate(struct document *d) { d->lines[1].tax_rate_bp = 2000; }
static void m_ltax(struct document *d) { d->lines[0].tax_amount = 191; }
static void m_sub(struct document *d) { d->lines[1].subscription_id = 0; }
static void m_swap(struct document *d)
{
	struct doc_line	 t = d->lines[0];

	d->lines[0] = d->lines[1];
	d->lines[1] = t;
}
/* Moving text from one field to the next keeps the bytes, not the seal. */
static void m_shift(struct document *d)
{
	strcpy(d->buyer_name, "Acme Labs");
	strcpy(d->buyer_address, "GmbH\nTorstraße 1\n10119 Berlin");
}

static const struct {
	void		(*f)(struct document *);
	const char	*what;
} changes[] = {
	{ m_org, "the organization" }, { m_kind, "the kind" },
	{ m_number, "the number" }, { m_issued, "the issue time" },
	{ m_pstart, "the period start" }, { m_pend, "the period end" },
	{ m_currency, "the currency" }, { m_paper, "the paper" },
	{ m_sname, "the seller's name" }, { m_saddr, "the seller's address" },
	{ m_scountry, "the seller's country" }, { m_svat, "the seller's VAT" },
	{ m_bname, "the buyer's name" }, { m_baddr, "the buyer's address" },
	{ m_bcountry, "the buyer's country" }, { m_bvat, "the buyer's VAT" },
	{ m_po, "the PO reference" }, { m_reverse, "the reverse charge" },
	{ m_note, "the VAT mention" }, { m_net, "the net total" },
	{ m_tax, "the VAT total" }, { m_total, "the total" },
	{ m_corrects, "the corrected invoice" }, { m_nlines, "a line less" },
	{ m_desc, "a line's description" }, { m_lstart, "a line's start" },
	{ m_lend, "a line's end" }, { m_qty, "a quantity" },
	{ m_unit, "a unit price" }, { m_amount, "a line's amount" },
	{ m_rate, "a VAT rate" }, { m_ltax, "a line's VAT" },
	{ m_sub, "a line's subscription" }, { m_swap, "the lines' order" },
	{ m_shift, "text moved between fields" },
};

int
main(void)
{
	struct document	 d;
	char		 base[CHAIN_HEX], got[CHAIN_HEX];
	char		 seen[NELEM(changes)][CHAIN_HEX];
	size_t		 i, j;
	int		 distinct = 1;

	if (sodium_init() < 0)
		return 1;
	sample(&d);
	chain_digest(&d, PREV, base);
	is_i64((int64_t)strlen(base), 64, "a seal is 64 hex digits");
	ok(strspn(base, "0123456789abcdef") == 64, "in lower case");
	chain_digest(&d, PREV, got);
	is_str(got, base,
	    "the same document after the same seal: the same seal");

	/* What follows from later entries is not the document as issued. */
	d.receipts = &receipt;
	d.nreceipts = 1;
	d.paid = d.total;
	d.credited = 100;
	d.status = DOC_PAID;
	d.id = 99;
	snprintf(d.seal, sizeof(d.seal), "%s", PREV);
	chain_digest(&d, PREV, got);
	is_str(got, base,
	    "payments, credit, status, id and stored seal do not enter it");

	chain_digest(&d, ZERO, got);
	ok(strcmp(got, base) != 0, "another seal before it: another seal");

	for (i = 0; i < NELEM(changes); i++) {
		sample(&d);
		changes[i].f(&d);
		chain_digest(&d, PREV, seen[i]);
		ok(strcmp(seen[i], base) != 0, "%s changes the seal",
		    changes[i].what);
		for (j = 0; j < i; j++)
			if (strcmp(seen[i], seen[j]) == 0)
				distinct = 0;
	}
	ok(distinct, "each change to its own seal");
	return tap_done();
}
