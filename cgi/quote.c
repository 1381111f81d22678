/* quote.c: quotes sealed by the server, so a confirmation honours exactly what was shown. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <string.h>

#include <sodium.h>

#include "db.h"
#include "quote.h"

static struct db_sql q_secret = { .text =
	"SELECT secret FROM server_secret WHERE id = 1"
};

/* The server's sealing key into key[32]. */
static int
secret(struct db *db, unsigned char key[32])
{
	sqlite3_stmt	*st = db_sql(db, &q_secret);
	int		 rc;

	if (st == NULL)
		return DB_ERROR;
	if ((rc = db_step(db, st)) == DB_ROW) {
		if (sqlite3_column_bytes(st, 0) != 32)
			rc = DB_ERROR;
		else
			memcpy(key, sqlite3_column_blob(st, 0), 32);
	}
	db_reset(st);
	return rc == DB_ROW ? DB_OK : rc == DB_OK ? DB_NOTFOUND : rc;
}

/*
 * Seal terms (a canonical string of everything a quote depends on: the
 * organization, the user, the subscription and its version, what
 * changes, the quote's time) into out (QUOTE_SEAL_HEX + 1 bytes): a
 * keyed BLAKE2b under the server's secret, in hex.  Returns DB_OK or a
 * failure.
 */
int
quote_seal(struct db *db, const char *terms, char *out, size_t outsz)
{
	unsigned char	 key[32], mac[QUOTE_SEAL_HEX / 2];
	int		 rc;

	if (outsz < QUOTE_SEAL_HEX + 1)
		return DB_ERROR;
	if ((rc = secret(db, key)) != DB_OK)
		return rc;
	crypto_generichash(mac, sizeof(mac), (const unsigned char *)terms,
	    strlen(terms), key, sizeof(key));
	sodium_memzero(key, sizeof(key));
	sodium_bin2hex(out, outsz, mac, sizeof(mac));
	return DB_OK;
}

/*
 * Whether a quote made at as_of is still honoured at now (not older
 * than QUOTE_MAX_AGE, not in the future) and seal is quote_seal's of
 * terms: QUOTE_OK, QUOTE_EXPIRED, QUOTE_FORGED or QUOTE_DB.  Compared
 * in constant time.
 */
int
quote_check(struct db *db, const char *terms, const char *seal, int64_t as_of,
    int64_t now)
{
	char	 want[QUOTE_SEAL_HEX + 1];

	if (as_of > now || now - as_of > QUOTE_MAX_AGE)
		return QUOTE_EXPIRED;
	if (seal == NULL || strlen(seal) != QUOTE_SEAL_HEX)
		return QUOTE_FORGED;
	if (quote_seal(db, terms, want, sizeof(want)) != DB_OK)
		return QUOTE_DB;
	if (sodium_memcmp(want, seal, QUOTE_SEAL_HEX) != 0)
		return QUOTE_FORGED;
	return QUOTE_OK;
}
