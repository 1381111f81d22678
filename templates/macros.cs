<?cs #
  Reckon template macros. Included once by _header.cs.
  Values are printed with var: only (HTML-escaped by Config.VarEscapeMode).
  Do not print with the alt, lvar or evar tags: on 0.10.5 they bypass
  VarEscapeMode (checked with cstest). See STYLE.md section 11.
?><?cs def:or_none(v) ?><?cs if:v ?><?cs var:v ?><?cs else ?><span aria-hidden="true">—</span><span class="visually-hidden">None</span><?cs /if ?><?cs /def ?><?cs
def:table_open(label_id) ?><div class="table-wrap" role="region" aria-labelledby="<?cs var:label_id ?>" tabindex="0"><p class="scroll-hint">Scroll sideways to see every column.</p><?cs /def ?><?cs
def:table_close() ?></div><?cs /def ?>
