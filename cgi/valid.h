/* valid.h: validators, one per kind of input; each is a predicate (1 = valid). */
#ifndef RECKON_VALID_H
#define RECKON_VALID_H

#include <stddef.h>
#include <stdint.h>

enum field_type {
	FIELD_NONE,
	FIELD_INT,
	FIELD_STR
};

/* One input value: raw as received, typed if a validator accepted it. */
struct field {
	const char	*raw;	/* borrowed from the request's pairs */
	enum field_type	 type;
	union {
		int64_t		 i;
		const char	*s;	/* borrowed: raw, or norm below */
	} u;
	char		 norm[32];	/* a normalized copy (VAT numbers) */
};

int	valid_email(struct field *);
int	valid_password(struct field *);
int	valid_token(struct field *);
int	valid_next(struct field *);
int	valid_rowid(struct field *);
int	valid_text_line(struct field *);
int	valid_text_opt(struct field *);
int	valid_word(struct field *);
int	valid_country(struct field *);
int	valid_vat(struct field *);
int	valid_postal_code(struct field *);
int	valid_po_reference(struct field *);
int	valid_index(struct field *);
int	valid_processor_token(struct field *);
int	valid_month(struct field *);
int	valid_year(struct field *);
int	valid_utf8(const char *, size_t);
int	valid_has_card_number(const char *);
int	valid_doc_number(const char *);
int	valid_luhn(const char *, size_t);

#endif
