/* pdf_receipt.h: one invoice or credit note rendered as a PDF (libharu). */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */

#ifndef RECKON_PDF_RECEIPT_H
#define RECKON_PDF_RECEIPT_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct document;

/* The fonts (Debian: fonts-dejavu-core); a build may point elsewhere. */
#ifndef PDF_FONT_REGULAR
#define PDF_FONT_REGULAR "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#endif
#ifndef PDF_FONT_BOLD
#define PDF_FONT_BOLD "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
#endif

/*
 * The font for what DejaVu Sans lacks: Chinese, Japanese (kanji and
 * kana), Korean (Hangul), full-width forms (Debian: fonts-droid-fallback;
 * its DroidSansFallbackFull.ttf has no Hangul).  Subset for each
 * document at run time.
 */
#ifndef PDF_FONT_FALLBACK
#define PDF_FONT_FALLBACK \
	"/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf"
#endif

/*
 * Where the subsets made at build time (cgi/fonts/subset.sh:
 * DejaVuSans-core.ttf, DejaVuSans-Bold-wide.ttf...) are installed, and
 * where they are built; Makefile.am passes both.  Without them the PDFs
 * embed the whole fonts.
 */
#ifndef PDF_FONTDIR
#define PDF_FONTDIR NULL
#endif
#ifndef PDF_FONTDIR_BUILD
#define PDF_FONTDIR_BUILD NULL
#endif

int	pdf_document(const struct document *, struct buf *);
int	pdf_rate_fmt(int32_t, char *, size_t);
void	pdf_cleanup(void);

#endif /* RECKON_PDF_RECEIPT_H */
