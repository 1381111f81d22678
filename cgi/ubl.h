/* ubl.h: an issued document as a UBL 2.1 e-invoice (EN 16931). */
#ifndef RECKON_UBL_H
#define RECKON_UBL_H

struct buf;
struct document;

/* The specification a document's e-invoice declares it follows. */
enum ubl_profile {
	UBL_PEPPOL,	/* Peppol BIS Billing 3.0 */
	UBL_XRECHNUNG	/* XRechnung 3.0: a German seller to a German buyer */
};

enum ubl_profile	 ubl_profile_of(const struct document *);
const char		*ubl_customization(enum ubl_profile);
int			 ubl_document(const struct document *, struct buf *);

#endif
