<?cs #
  Form macros for Reckon pages with forms. A page includes this once,
  right after _header.cs:  include!"_forms.cs"
  Values are printed with var: only (HTML-escaped by Config.VarEscapeMode).
  f is an HDF node with .Value and .Error (Form.<Field>); id is the input's
  id, and its hint and error get the ids id-hint and id-error.
?><?cs def:form_hidden() ?>
 <input type="hidden" name="csrf" value="<?cs var:Session.Csrf ?>">
 <input type="hidden" name="form_token" value="<?cs var:Form.Token ?>"><?cs /def ?><?cs
def:described_by(id, hint, err) ?><?cs if:hint || err ?> aria-describedby="<?cs if:hint ?><?cs var:id ?>-hint<?cs if:err ?> <?cs /if ?><?cs /if ?><?cs if:err ?><?cs var:id ?>-error<?cs /if ?>"<?cs /if ?><?cs if:err ?> aria-invalid="true"<?cs /if ?><?cs /def ?><?cs
def:field_error(id, err) ?><?cs if:err ?>
  <p class="field-error" id="<?cs var:id ?>-error"><span class="visually-hidden">Error: </span><?cs var:err ?></p><?cs /if ?><?cs /def ?><?cs
def:field_label(id, label, note) ?>
  <label for="<?cs var:id ?>"><?cs var:label ?><?cs if:note ?> <span class="label-note"><?cs var:note ?></span><?cs /if ?></label><?cs /def ?><?cs
def:field_hint(id, hint) ?><?cs if:hint ?>
  <p class="hint" id="<?cs var:id ?>-hint"><?cs var:hint ?></p><?cs /if ?><?cs /def ?><?cs
def:text_field(f, id, name, type, label, note, hint, autocomplete, required) ?>
 <div class="field<?cs if:f.Error ?> field-invalid<?cs /if ?>"><?cs
  call:field_label(id, label, note) ?><?cs call:field_hint(id, hint) ?><?cs call:field_error(id, f.Error) ?>
  <input id="<?cs var:id ?>" name="<?cs var:name ?>" type="<?cs var:type ?>" value="<?cs var:f.Value ?>"<?cs call:described_by(id, hint, f.Error) ?><?cs if:autocomplete ?> autocomplete="<?cs var:autocomplete ?>"<?cs /if ?><?cs if:type == "email" ?> spellcheck="false" autocapitalize="none"<?cs /if ?><?cs if:required ?> required<?cs /if ?>>
 </div><?cs /def ?><?cs
def:summary_link(id, label, err) ?><?cs if:err ?><li><a href="#<?cs var:id ?>"><?cs var:label ?>: <?cs var:err ?></a></li><?cs /if ?><?cs /def ?>
