#!/bin/sh
# subset.sh PYFTSUBSET core|wide IN OUT: write to OUT the subset of the
# TrueType font IN that the PDF receipts embed (cgi/pdf_receipt.c).
#   core  Latin-1 and Latin Extended-A (Western and Central European),
#         Greek, Cyrillic (Russian, Ukrainian, Bulgarian, Serbian...),
#         everyday punctuation and currency signs: most documents.
#   wide  all of Latin (Vietnamese too), Greek, Cyrillic, combining marks,
#         punctuation, currency and letterlike signs.
# A document with a character outside both is set in the whole font.
# libharu copies every table but glyf whole into each PDF, 4 bytes at a
# time, so the fewer glyphs the faster: hence two sizes, no hinting
# (viewers ignore it), no OpenType layout (libharu does no shaping), no
# glyph names.  Made at build time from fonts-dejavu-core with fonttools.
set -eu
[ $# -eq 4 ] || { echo "usage: $0 pyftsubset core|wide in.ttf out.ttf" >&2; exit 2; }

punct='U+2010-2027,U+2030-203A,U+2044,U+20AC,U+20B4,U+20B9,U+20BA,U+20BD'
punct=$punct',U+2116,U+2122,U+2212,U+FFFD'
case $2 in
core)	unicodes='U+0020-007E'			# Basic Latin
	unicodes=$unicodes',U+00A0-017F'	# Latin-1, Latin Extended-A
	unicodes=$unicodes',U+0192,U+0218-021B'	# f-hook; Romanian s, t comma
	unicodes=$unicodes',U+02C6-02C7,U+02D8-02DD'	# spacing accents
	unicodes=$unicodes',U+0384-038A,U+038C,U+038E-03A1,U+03A3-03CE' # Greek
	unicodes=$unicodes',U+0400-045F,U+0490-0491'	# Cyrillic
	unicodes=$unicodes",$punct" ;;
wide)	unicodes='U+0020-007E'			# Basic Latin
	unicodes=$unicodes',U+00A0-024F'	# Latin-1, Latin Extended-A, -B
	unicodes=$unicodes',U+0259,U+02B9-02DD'	# schwa; modifier letters, accents
	unicodes=$unicodes',U+0300-036F'	# combining marks (decomposed text)
	unicodes=$unicodes',U+0370-03FF'	# Greek
	unicodes=$unicodes',U+0400-052F'	# Cyrillic and its supplement
	unicodes=$unicodes',U+1E00-1EFF'	# Latin Extended Additional
	unicodes=$unicodes',U+2000-206F,U+20A0-20CF'	# punctuation, currency
	unicodes=$unicodes',U+2100-214F,U+2212,U+FB01-FB02,U+FFFD' ;;
*)	echo "$0: $2: neither core nor wide" >&2; exit 2 ;;
esac

tmp=$4.tmp
"$1" "$3" --unicodes="$unicodes" --layout-features= --no-hinting \
    --drop-tables+=GDEF,GPOS,GSUB,MATH,gasp,FFTM,kern \
    --notdef-outline --output-file="$tmp"
mv "$tmp" "$4"
