/* csv.h: RFC 4180 CSV fields and rows, written into a buffer (pure). */
#ifndef RECKON_CSV_H
#define RECKON_CSV_H

#include "util.h"

void	csv_field(struct buf *, const char *);
void	csv_row_end(struct buf *);

#endif
