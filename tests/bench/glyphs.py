#!/usr/bin/env python3
"""glyphs.py LIST: whether each name of LIST is drawn with real glyphs.

LIST has one line per PDF: "path<TAB>name", the PDF showing that name.
A name passes when
  - pdftotext finds it in the PDF's text (no character was replaced or
    dropped on the way in), and
  - every character of it, spaces aside, has a glyph with an outline in
    some font of the PDF: for an embedded TrueType font (FontFile2,
    extracted with qpdf) its Unicode cmap maps the character to a glyph
    whose glyf data is not empty; a standard font that is not embedded
    has the glyphs of its encoding (WinAnsi, plus /uniXXXX names of its
    /Differences); an embedded font of another kind counts as having
    what its cmap maps (or, without one, as having everything).
Prints "OK of N" and then the names that fail, one per line, with the
characters that have no glyph.
"""
import json
import re
import struct
import subprocess
import sys
import unicodedata

STD14 = re.compile(r'^(Helvetica|Times|Courier|Symbol|ZapfDingbats)')


def qpdf_objects(path):
    out = subprocess.run(['qpdf', '--json=2', '--json-key=qpdf', path],
                         capture_output=True, check=True).stdout
    return json.loads(out)['qpdf'][1]


def stream_data(path, ref):
    n = ref.split()[0]
    return subprocess.run(['qpdf', '--show-object=' + n,
                           '--filtered-stream-data', path],
                          capture_output=True, check=True).stdout


def ttf_cover(data):
    """Code points with a non-empty glyph, from a TrueType font program."""
    try:
        ntab = struct.unpack('>H', data[4:6])[0]
        tabs = {}
        for i in range(ntab):
            tag, _, off, ln = struct.unpack('>4sIII', data[12 + 16 * i:28 + 16 * i])
            tabs[tag.decode('latin-1')] = (off, ln)
        cmap = {}
        if 'cmap' in tabs:
            co = tabs['cmap'][0]
            n = struct.unpack('>H', data[co + 2:co + 4])[0]
            subs = []
            for i in range(n):
                pid, eid, off = struct.unpack('>HHI', data[co + 4 + 8 * i:co + 12 + 8 * i])
                subs.append((pid, eid, co + off))
            pref = sorted(subs, key=lambda s: {(3, 10): 0, (0, 4): 1, (3, 1): 2,
                                                (0, 3): 3}.get((s[0], s[1]), 9))
            for pid, eid, so in pref:
                fmt = struct.unpack('>H', data[so:so + 2])[0]
                if fmt == 12:
                    ng = struct.unpack('>I', data[so + 12:so + 16])[0]
                    for g in range(ng):
                        a, b, gid = struct.unpack('>III', data[so + 16 + 12 * g:so + 28 + 12 * g])
                        for c in range(a, b + 1):
                            cmap[c] = gid + c - a
                    break
                if fmt == 4 and (pid, eid) in ((3, 1), (0, 3), (0, 4)):
                    seg = struct.unpack('>H', data[so + 6:so + 8])[0] // 2
                    ends = struct.unpack('>%dH' % seg, data[so + 14:so + 14 + 2 * seg])
                    base = so + 16 + 2 * seg
                    starts = struct.unpack('>%dH' % seg, data[base:base + 2 * seg])
                    deltas = struct.unpack('>%dh' % seg, data[base + 2 * seg:base + 4 * seg])
                    ro = base + 4 * seg
                    ranges = struct.unpack('>%dH' % seg, data[ro:ro + 2 * seg])
                    for i in range(seg):
                        for c in range(starts[i], ends[i] + 1):
                            if c == 0xffff:
                                continue
                            if ranges[i] == 0:
                                gid = (c + deltas[i]) & 0xffff
                            else:
                                p = ro + 2 * i + ranges[i] + 2 * (c - starts[i])
                                gid = struct.unpack('>H', data[p:p + 2])[0]
                                if gid:
                                    gid = (gid + deltas[i]) & 0xffff
                            if gid:
                                cmap[c] = gid
                    break
        if not cmap:
            return None
        if 'glyf' not in tabs or 'loca' not in tabs:
            return set(cmap)
        long_loca = struct.unpack('>h', data[tabs['head'][0] + 50:tabs['head'][0] + 52])[0]
        ng = struct.unpack('>H', data[tabs['maxp'][0] + 4:tabs['maxp'][0] + 6])[0]
        lo = tabs['loca'][0]
        if long_loca:
            loca = struct.unpack('>%dI' % (ng + 1), data[lo:lo + 4 * (ng + 1)])
        else:
            loca = [2 * x for x in struct.unpack('>%dH' % (ng + 1), data[lo:lo + 2 * (ng + 1)])]
        return {c for c, g in cmap.items() if g < ng and loca[g + 1] > loca[g]}
    except (struct.error, KeyError, IndexError):
        return None


def winansi():
    s = set(range(0x20, 0x7f))
    for b in range(0x80, 0x100):
        try:
            s.add(ord(bytes([b]).decode('cp1252')))
        except UnicodeDecodeError:
            pass
    return s


def pdf_cover(path):
    objs = qpdf_objects(path)

    def val(ref):
        o = objs.get('obj:' + ref) if isinstance(ref, str) and ref.endswith(' R') else None
        if o is None:
            return ref
        return o.get('value', o.get('stream', {}).get('dict'))

    cover = set()
    for key, o in objs.items():
        d = o.get('value')
        if not isinstance(d, dict) or d.get('/Type') != '/Font':
            continue
        sub = d.get('/Subtype')
        if sub == '/Type0':
            continue            # its descendant is listed on its own
        desc = val(d.get('/FontDescriptor')) if '/FontDescriptor' in d else None
        ff = None
        if isinstance(desc, dict):
            ff = desc.get('/FontFile2') or desc.get('/FontFile3') or desc.get('/FontFile')
        base = str(d.get('/BaseFont', '')).lstrip('/')
        base = re.sub(r'^[A-Z]{6}\+', '', base)
        if ff is None:
            if STD14.match(base):
                cover |= winansi()
                enc = val(d.get('/Encoding'))
                if isinstance(enc, dict):
                    for g in enc.get('/Differences', []):
                        m = re.match(r'^/uni([0-9A-F]{4})$', str(g))
                        if m:
                            cover.add(int(m.group(1), 16))
            continue
        c = ttf_cover(stream_data(path, ff))
        if c is None:
            cover |= set(range(0x20, 0x110000))     # cannot tell: trust it
        else:
            cover |= c
    return cover


def main():
    ok = 0
    bad = []
    for line in open(sys.argv[1], encoding='utf-8'):
        path, _, name = line.rstrip('\n').partition('\t')
        if not name:
            continue
        text = subprocess.run(['pdftotext', '-enc', 'UTF-8', path, '-'],
                              capture_output=True).stdout.decode('utf-8', 'replace')
        norm = lambda s: ' '.join(unicodedata.normalize('NFC', s).split())
        cover = pdf_cover(path)
        lack = sorted({ch for ch in name if not ch.isspace() and ord(ch) not in cover})
        if norm(name) not in norm(text):
            bad.append('%s (not in the text)' % name)
        elif lack:
            bad.append('%s (no glyph: %s)' % (name, ''.join(lack)))
        else:
            ok += 1
    print('%d of %d' % (ok, ok + len(bad)))
    for b in bad:
        print(b)


if __name__ == '__main__':
    main()
