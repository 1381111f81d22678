/* chain.c: each issued document sealed by a hash chained through its series. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
/*
 * A document's seal is the SHA-256 of its canonical content, which
 * begins with the seal of the document before it in its series (kind
 * and year; the first of a series follows 64 zeros).  Changing a stored
 * document, or deleting one, breaks the seal of that document or of the
 * next; rewriting every seal after it changes the head of the series,
 * which the seller publishes (reckonctl chain head).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "chain.h"
#include "db.h"
#include "invoice.h"
#include "util.h"

static const char	 genesis[CHAIN_HEX] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/* One field of the canonical content: "name length:value\n". */
static void
put(crypto_hash_sha256_state *h, const char *name, const char *v)
{
	char	 pre[64];
	size_t	 n = strlen(v);
	int	 k;

	k = snprintf(pre, sizeof(pre), "%s %zu:", name, n);
	crypto_hash_sha256_update(h, (const unsigned char *)pre, (size_t)k);
	crypto_hash_sha256_update(h, (const unsigned char *)v, n);
	crypto_hash_sha256_update(h, (const unsigned char *)"\n", 1);
}

static void
put_int(crypto_hash_sha256_state *h, const char *name, int64_t v)
{
	char	 buf[24];

	snprintf(buf, sizeof(buf), "%" PRId64, v);
	put(h, name, buf);
}

/*
 * The seal of d after prev (the seal before it, hex) into out: the
 * SHA-256, in hex, of everything d holds as issued: its parties (and
 * their parts, when kept), dates, amounts, lines and the invoice a credit
 * note corrects.  Never its
 * status or receipts, which follow from later entries.
 */
void
chain_digest(const struct document *d, const char *prev, char *out)
{
	crypto_hash_sha256_state	 h;
	unsigned char			 md[crypto_hash_sha256_BYTES];
	const struct doc_line		*l;
	size_t				 i;

	crypto_hash_sha256_init(&h);
	put(&h, "reckon-document", "1");
	put(&h, "prev", prev);
	put(&h, "kind", d->kind == DOC_INVOICE ? "invoice" : "credit_note");
	put(&h, "number", d->number);
	put_int(&h, "org", d->org_id);
	put_int(&h, "issued", d->issued_at);
	put_int(&h, "period_start", d->period_start);
	put_int(&h, "period_end", d->period_end);
	put(&h, "currency", d->currency);
	put(&h, "paper", d->paper);
	put(&h, "seller_name", d->seller_name);
	put(&h, "seller_address", d->seller_address);
	put(&h, "seller_country", d->seller_country);
	put(&h, "seller_vat", d->seller_vat);
	put(&h, "buyer_name", d->buyer_name);
	put(&h, "buyer_address", d->buyer_address);
	put(&h, "buyer_country", d->buyer_country);
	put(&h, "buyer_vat", d->buyer_vat);
	put(&h, "po_reference", d->po_reference);
	put_int(&h, "reverse_charge", d->reverse_charge);
	put(&h, "tax_note", d->tax_note);
	put_int(&h, "net_total", d->net_total);
	put_int(&h, "tax_total", d->tax_total);
	put_int(&h, "total", d->total);
	put(&h, "corrects", d->corrects);
	if (d->parts.present) {	/* documents issued since they are kept */
		put(&h, "seller_street", d->parts.seller_street);
		put(&h, "seller_city", d->parts.seller_city);
		put(&h, "seller_postal_code", d->parts.seller_postal_code);
		put(&h, "seller_email", d->parts.seller_email);
		put(&h, "seller_phone", d->parts.seller_phone);
		put(&h, "seller_registration", d->parts.seller_registration);
		put(&h, "buyer_street", d->parts.buyer_street);
		put(&h, "buyer_street2", d->parts.buyer_street2);
		put(&h, "buyer_city", d->parts.buyer_city);
		put(&h, "buyer_postal_code", d->parts.buyer_postal_code);
		put(&h, "buyer_region", d->parts.buyer_region);
		put(&h, "buyer_email", d->parts.buyer_email);
		put(&h, "buyer_reference", d->parts.buyer_reference);
	}
	put_int(&h, "lines", (int64_t)d->nlines);
	for (i = 0; i < d->nlines; i++) {
		l = &d->lines[i];
		put_int(&h, "line", (int64_t)i);
		put(&h, "description", l->description);
		put_int(&h, "period_start", l->period_start);
		put_int(&h, "period_end", l->period_end);
		put_int(&h, "quantity", l->quantity);
		put_int(&h, "unit_price", l->unit_price);
		put_int(&h, "amount", l->amount);
		put_int(&h, "tax_rate_bp", l->tax_rate_bp);
		put_int(&h, "tax_amount", l->tax_amount);
		put_int(&h, "subscription", l->subscription_id);
	}
	crypto_hash_sha256_final(&h, md);
	sodium_bin2hex(out, CHAIN_HEX, md, sizeof(md));
}

static struct db_sql q_seal_get = {
	.text = "SELECT hash FROM document_seal WHERE document_id = ?"
};

/*
 * Document id's seal into hash (CHAIN_HEX bytes): DB_OK, DB_NOTFOUND
 * (hash "") or a failure.
 */
int
chain_get(struct db *db, int64_t id, char *hash)
{
	sqlite3_stmt	*st = db_sql(db, &q_seal_get);
	int		 rc;

	hash[0] = '\0';
	if (st == NULL || db_bind(db, st, "i", id) != DB_OK)
		return DB_ERROR;
	if ((rc = db_step(db, st)) == DB_ROW) {
		db_col_copy(st, 0, hash, CHAIN_HEX);
		rc = DB_OK;
	} else if (rc == DB_OK)
		rc = DB_NOTFOUND;
	db_reset(st);
	return rc;
}

/* The document before id in its series and its seal ("" if unsealed). */
static struct db_sql q_prev = {
	.text = "SELECT coalesce(s.hash, '') FROM document d "
	    "JOIN document p ON p.kind = d.kind "
	    "AND p.series_year = d.series_year AND p.seq = d.seq - 1 "
	    "LEFT JOIN document_seal s ON s.document_id = p.id "
	    "WHERE d.id = ?"
};

static struct db_sql q_seal_insert = {
	.text = "INSERT INTO document_seal (document_id, hash) VALUES (?, ?)"
};

/*
 * Seal document id after prev: read it as stored, so the seal covers
 * what the PDF, the XML and verify read.
 */
static int
seal_after(struct db *db, int64_t id, const char *prev)
{
	struct document	*d;
	sqlite3_stmt	*st;
	char		 hash[CHAIN_HEX];
	int		 rc;

	if ((rc = invoice_get(db, id, &d)) != INV_OK)
		return rc == INV_NOTFOUND ? DB_NOTFOUND : DB_ERROR;
	chain_digest(d, prev, hash);
	invoice_free(d);
	if ((st = db_sql(db, &q_seal_insert)) == NULL ||
	    db_bind(db, st, "it", id, hash) != DB_OK)
		return DB_ERROR;
	return db_exec(db, st);
}

/*
 * Seal the document id just issued, inside the issuing transaction.  A
 * document issued before the chain existed has no seal yet: then every
 * unsealed document is sealed first, in series order.
 */
int
chain_seal(struct db *db, int64_t id)
{
	sqlite3_stmt	*st = db_sql(db, &q_prev);
	char		 prev[CHAIN_HEX];
	int		 rc;

	if (st == NULL || db_bind(db, st, "i", id) != DB_OK)
		return DB_ERROR;
	memcpy(prev, genesis, sizeof(prev));
	if ((rc = db_step(db, st)) == DB_ROW) {
		db_col_copy(st, 0, prev, sizeof(prev));
		rc = DB_OK;
	}
	db_reset(st);
	if (rc != DB_OK)
		return rc;
	if (prev[0] == '\0')
		return chain_seal_missing(db, NULL);
	return seal_after(db, id, prev);
}

/* Every document without a seal, in series order. */
static struct db_sql q_unsealed = {
	.text = "SELECT d.id FROM document d "
	    "LEFT JOIN document_seal s ON s.document_id = d.id "
	    "WHERE s.document_id IS NULL "
	    "ORDER BY d.kind, d.series_year, d.seq"
};

/*
 * Seal every document that has no seal (issued before the chain), in
 * series order, in the caller's write transaction; *n (if not NULL)
 * gets how many.  Returns DB_OK or a failure.
 */
int
chain_seal_missing(struct db *db, int64_t *n)
{
	sqlite3_stmt	*st = db_sql(db, &q_unsealed);
	int64_t		*ids = NULL;
	size_t		 i, nids = 0;
	int		 rc;

	if (n != NULL)
		*n = 0;
	if (st == NULL)
		return DB_ERROR;
	while ((rc = db_step(db, st)) == DB_ROW) {
		ids = xrealloc(ids, (nids + 1) * sizeof(*ids));
		ids[nids++] = db_col_int(st, 0);
	}
	db_reset(st);
	for (i = 0; rc == DB_OK && i < nids; i++)
		rc = chain_seal(db, ids[i]);
	free(ids);
	if (rc == DB_OK && n != NULL)
		*n = (int64_t)nids;
	return rc;
}

/* Every document in series order, with its seal ("" for none). */
static struct db_sql q_all = {
	.text = "SELECT d.id, d.kind, d.series_year, d.number, "
	    "coalesce(s.hash, '') FROM document d "
	    "LEFT JOIN document_seal s ON s.document_id = d.id "
	    "ORDER BY d.kind, d.series_year, d.seq"
};

/*
 * Recompute every seal from the stored documents, in the caller's read
 * transaction, into *rep: the first document (by series) whose content
 * does not hash to its seal after the seal before it.  Returns DB_OK or
 * a failure.
 */
int
chain_verify(struct db *db, struct chain_report *rep)
{
	sqlite3_stmt	*st = db_sql(db, &q_all);
	struct document	*d;
	char		 kind[16] = "", prev[CHAIN_HEX], stored[CHAIN_HEX];
	char		 want[CHAIN_HEX], number[32], k[16];
	int64_t		 year = -1, y, id;
	int		 rc;

	memset(rep, 0, sizeof(*rep));
	if (st == NULL)
		return DB_ERROR;
	while ((rc = db_step(db, st)) == DB_ROW) {
		id = db_col_int(st, 0);
		db_col_copy(st, 1, k, sizeof(k));
		y = db_col_int(st, 2);
		db_col_copy(st, 3, number, sizeof(number));
		db_col_copy(st, 4, stored, sizeof(stored));
		if (strcmp(k, kind) != 0 || y != year) {
			memcpy(prev, genesis, sizeof(prev));
			snprintf(kind, sizeof(kind), "%s", k);
			year = y;
		}
		rep->documents++;
		if (invoice_get(db, id, &d) != INV_OK) {
			rc = DB_ERROR;
			break;
		}
		chain_digest(d, prev, want);
		invoice_free(d);
		if (stored[0] != '\0')
			rep->sealed++;
		if (strcmp(want, stored) != 0 && rep->bad++ == 0) {
			snprintf(rep->first, sizeof(rep->first), "%s", number);
			snprintf(rep->why, sizeof(rep->why), "%s",
			    stored[0] == '\0' ? "it has no seal" :
			    "it does not hash to its seal: the document, or "
			    "the seal of the one before it, changed after it "
			    "was issued");
		}
		/* the next is sealed after this one's seal as stored */
		memcpy(prev, stored[0] != '\0' ? stored : want, sizeof(prev));
	}
	db_reset(st);
	return rc;
}

/* The last document of each series, with its seal. */
static struct db_sql q_heads = {
	.text = "SELECT d.kind, d.series_year, d.seq, d.number, "
	    "coalesce(s.hash, '') FROM document d "
	    "LEFT JOIN document_seal s ON s.document_id = d.id "
	    "WHERE d.seq = (SELECT max(x.seq) FROM document x "
	    "WHERE x.kind = d.kind AND x.series_year = d.series_year) "
	    "ORDER BY d.kind, d.series_year"
};

/*
 * The head of every series into *out (*n of them, free(3) it), in the
 * caller's read transaction.  Returns DB_OK or a failure.
 */
int
chain_heads(struct db *db, struct chain_head **out, size_t *n)
{
	sqlite3_stmt		*st = db_sql(db, &q_heads);
	struct chain_head	*h;
	int			 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return DB_ERROR;
	while ((rc = db_step(db, st)) == DB_ROW) {
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		h = &(*out)[(*n)++];
		db_col_copy(st, 0, h->kind, sizeof(h->kind));
		h->year = db_col_int(st, 1);
		h->seq = db_col_int(st, 2);
		db_col_copy(st, 3, h->number, sizeof(h->number));
		db_col_copy(st, 4, h->hash, sizeof(h->hash));
	}
	db_reset(st);
	if (rc != DB_OK) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}
