<?cs include!"_header.cs" ?><?cs include!"_forms.cs" ?>
<h1>Billing details</h1>
<?cs if:ApiKeys.NewKey ?><div class="notice notice-warning api-key-new" role="alert">
 <h2>Your new sensors API key</h2>
 <p>Copy it now: it will not be shown again. Reckon keeps only a fingerprint of the key, so nobody can look it up later.</p>
 <p><code class="api-key-value"><?cs var:ApiKeys.NewKey ?></code></p>
 <p class="hint">Your monitoring product sends it in the header <code>Authorization: Bearer</code> followed by the key. If it is lost, revoke it below and create another.</p>
</div>
<?cs /if ?><?cs if:Session.CanManage == 1 ?><?cs if:Form.Error ?><div class="notice notice-error error-summary" role="alert">
 <p><?cs var:Form.Error ?></p>
 <ul class="error-list"><?cs
  call:summary_link("details-account-email", "Account email", Form.AccountEmail.Error) ?><?cs
  call:summary_link("details-invoice-email", "Invoice email", Form.InvoiceEmail.Error) ?><?cs
  each:cc = Form.Cc ?><?cs if:cc.Error ?><li><a href="#details-cc-<?cs var:name(cc) ?>">CC email <?cs var:cc.Value ?>: <?cs var:cc.Error ?></a></li><?cs /if ?><?cs /each ?><?cs
  call:summary_link("details-cc-new", "Add a CC email", Form.CcNew.Error) ?><?cs
  call:summary_link("details-billing-name", "Billing name", Form.BillingName.Error) ?><?cs
  call:summary_link("details-address1", "Address line 1", Form.Address1.Error) ?><?cs
  call:summary_link("details-address2", "Address line 2", Form.Address2.Error) ?><?cs
  call:summary_link("details-city", "City", Form.City.Error) ?><?cs
  call:summary_link("details-postal-code", "Postal code", Form.PostalCode.Error) ?><?cs
  call:summary_link("details-region", "Region", Form.Region.Error) ?><?cs
  call:summary_link("details-country", "Country", Form.Country.Error) ?><?cs
  call:summary_link("details-vat-number", "VAT number", Form.VatNumber.Error) ?><?cs
  call:summary_link("details-po-reference", "Purchase-order reference", Form.PoReference.Error) ?><?cs
  call:summary_link("details-buyer-reference", "Buyer reference", Form.BuyerReference.Error) ?></ul>
</div>
<?cs /if ?><form class="form" method="post" action="/billing/details"><?cs call:form_hidden() ?><?cs #
   Pressing Enter in a field submits with the first submit button of the
   form. This hidden copy of "Save billing details" comes first, so Enter
   saves instead of pressing the first "Remove" or "Add CC" button. ?>
 <button type="submit" class="visually-hidden" tabindex="-1" aria-hidden="true">Save billing details</button>

<fieldset class="panel form-group">
 <legend><h2>Account</h2></legend><?cs
 call:text_field(Form.AccountEmail, "details-account-email", "account_email", "email", "Account email", "", "Where we send account notices. Required.", "email", "1") ?>
</fieldset>

<fieldset class="panel form-group">
 <legend><h2>Invoices</h2></legend>
 <p class="hint" id="details-invoices-hint">Invoices go to the invoice email and every CC email.</p>
 <div class="field<?cs if:Form.InvoiceEmail.Error ?> field-invalid<?cs /if ?>"><?cs
  call:field_label("details-invoice-email", "Invoice email", "") ?><?cs
  call:field_error("details-invoice-email", Form.InvoiceEmail.Error) ?>
  <input id="details-invoice-email" name="invoice_email" type="email" value="<?cs var:Form.InvoiceEmail.Value ?>" aria-describedby="details-invoices-hint<?cs if:Form.InvoiceEmail.Error ?> details-invoice-email-error<?cs /if ?>"<?cs if:Form.InvoiceEmail.Error ?> aria-invalid="true"<?cs /if ?> spellcheck="false" autocapitalize="none" required>
 </div>
 <fieldset class="subgroup">
  <legend>CC emails</legend>
<?cs if:subcount(Form.Cc) > 0 ?>  <ul class="cc-list"><?cs each:cc = Form.Cc ?>
   <li class="field<?cs if:cc.Error ?> field-invalid<?cs /if ?>">
    <label class="visually-hidden" for="details-cc-<?cs var:name(cc) ?>">CC email</label><?cs if:cc.Error ?>
    <p class="field-error" id="details-cc-<?cs var:name(cc) ?>-error"><span class="visually-hidden">Error: </span><?cs var:cc.Error ?></p><?cs /if ?>
    <div class="inline-field">
     <input id="details-cc-<?cs var:name(cc) ?>" name="cc_email" type="email" value="<?cs var:cc.Value ?>"<?cs if:cc.Error ?> aria-describedby="details-cc-<?cs var:name(cc) ?>-error" aria-invalid="true"<?cs /if ?> spellcheck="false" autocapitalize="none">
     <button type="submit" name="remove_cc" value="<?cs var:name(cc) ?>" class="button button-secondary" formnovalidate>Remove<span class="visually-hidden"> CC <?cs var:cc.Value ?></span></button>
    </div>
   </li><?cs /each ?>
  </ul>
<?cs /if ?><?cs if:Form.CcFull == 1 ?>  <p class="note">You have the maximum of 10 CC emails.</p>
<?cs else ?>  <div class="field<?cs if:Form.CcNew.Error ?> field-invalid<?cs /if ?>"><?cs
   call:field_label("details-cc-new", "Add a CC email", "") ?><?cs
   call:field_error("details-cc-new", Form.CcNew.Error) ?>
   <div class="inline-field">
    <input id="details-cc-new" name="cc_new" type="email" value="<?cs var:Form.CcNew.Value ?>" aria-describedby="details-invoices-hint<?cs if:Form.CcNew.Error ?> details-cc-new-error<?cs /if ?>"<?cs if:Form.CcNew.Error ?> aria-invalid="true"<?cs /if ?> spellcheck="false" autocapitalize="none">
    <button type="submit" name="add_cc" value="1" class="button button-secondary" formnovalidate>Add CC</button>
   </div>
  </div>
<?cs /if ?> </fieldset>
</fieldset>

<fieldset class="panel form-group">
 <legend><h2>Billing address</h2></legend><?cs
 call:text_field(Form.BillingName, "details-billing-name", "billing_name", "text", "Billing name", "", "", "billing organization", "1") ?><?cs
 call:text_field(Form.Address1, "details-address1", "address_line1", "text", "Address line 1", "", "", "billing address-line1", "1") ?><?cs
 call:text_field(Form.Address2, "details-address2", "address_line2", "text", "Address line 2", "(optional)", "", "billing address-line2", "") ?><?cs
 call:text_field(Form.City, "details-city", "city", "text", "City", "", "", "billing address-level2", "1") ?><?cs
 call:text_field(Form.PostalCode, "details-postal-code", "postal_code", "text", "Postal code", "", "", "billing postal-code", "1") ?><?cs
 call:text_field(Form.Region, "details-region", "region", "text", "Region", "(optional)", "", "billing address-level1", "") ?>
 <div class="field<?cs if:Form.Country.Error ?> field-invalid<?cs /if ?>"><?cs
  call:field_label("details-country", "Country", "") ?><?cs
  call:field_error("details-country", Form.Country.Error) ?>
  <select id="details-country" name="country"<?cs call:described_by("details-country", "", Form.Country.Error) ?> autocomplete="billing country" required>
   <option value="">Choose a country</option><?cs each:c = Countries ?>
   <option value="<?cs var:c.Code ?>"<?cs if:c.Selected == 1 ?> selected<?cs /if ?>><?cs var:c.Name ?></option><?cs /each ?>
  </select>
 </div>
</fieldset>

<fieldset class="panel form-group">
 <legend><h2>Tax and references</h2></legend><?cs
 call:text_field(Form.VatNumber, "details-vat-number", "vat_number", "text", "VAT number", "", "Optional. For example DE123456788; spaces and dots are fine.", "off", "") ?><?cs
 call:text_field(Form.PoReference, "details-po-reference", "po_reference", "text", "Purchase-order reference", "(optional)", "Printed on future invoices.", "off", "") ?><?cs
 call:text_field(Form.BuyerReference, "details-buyer-reference", "buyer_reference", "text", "Buyer reference", "(optional)", "The reference your accounts payable routes e-invoices by (German public bodies: the Leitweg-ID). Without one, e-invoices carry the purchase-order reference.", "off", "") ?>
</fieldset>

 <div class="form-actions">
  <button type="submit" class="button button-primary">Save billing details</button>
 </div>
</form>
<?cs else ?><p class="note">You have read-only access.</p>

<section class="panel">
 <h2>Account</h2>
 <dl class="facts">
  <div class="fact"><dt>Account email</dt><dd><?cs call:or_none(Form.AccountEmail.Value) ?></dd></div>
 </dl>
</section>

<section class="panel">
 <h2>Invoices</h2>
 <p class="hint">Invoices go to the invoice email and every CC email.</p>
 <dl class="facts">
  <div class="fact"><dt>Invoice email</dt><dd><?cs call:or_none(Form.InvoiceEmail.Value) ?></dd></div>
  <div class="fact"><dt>CC emails</dt><dd><?cs if:subcount(Form.Cc) == 0 ?><?cs call:or_none("") ?><?cs else ?><ul class="plain-list"><?cs each:cc = Form.Cc ?>
   <li><?cs var:cc.Value ?></li><?cs /each ?>
  </ul><?cs /if ?></dd></div>
 </dl>
</section>

<section class="panel">
 <h2>Billing address</h2>
 <dl class="facts">
  <div class="fact"><dt>Billing name</dt><dd><?cs call:or_none(Form.BillingName.Value) ?></dd></div>
  <div class="fact"><dt>Address line 1</dt><dd><?cs call:or_none(Form.Address1.Value) ?></dd></div>
  <div class="fact"><dt>Address line 2</dt><dd><?cs call:or_none(Form.Address2.Value) ?></dd></div>
  <div class="fact"><dt>City</dt><dd><?cs call:or_none(Form.City.Value) ?></dd></div>
  <div class="fact"><dt>Postal code</dt><dd><?cs call:or_none(Form.PostalCode.Value) ?></dd></div>
  <div class="fact"><dt>Region</dt><dd><?cs call:or_none(Form.Region.Value) ?></dd></div>
  <div class="fact"><dt>Country</dt><dd><?cs call:or_none(Form.Country.Name) ?></dd></div>
 </dl>
</section>

<section class="panel">
 <h2>Tax and references</h2>
 <dl class="facts">
  <div class="fact"><dt>VAT number</dt><dd><?cs call:or_none(Form.VatNumber.Value) ?></dd></div>
  <div class="fact"><dt>Purchase-order reference</dt><dd><?cs call:or_none(Form.PoReference.Value) ?></dd></div>
  <div class="fact"><dt>Buyer reference</dt><dd><?cs call:or_none(Form.BuyerReference.Value) ?></dd></div>
 </dl>
</section>
<?cs /if ?>
<section class="panel api-keys">
 <h2 id="api-keys-heading">Sensors API keys</h2>
 <p class="hint">Your monitoring product uses a key to tell Reckon when it deploys or removes a sensor. Deploying a sensor beyond your subscribed count adds it to the subscription, with a prorated charge.</p>
<?cs if:subcount(ApiKeys.Keys) == 0 ?> <p class="empty">No API keys yet.</p>
<?cs else ?> <?cs call:table_open("api-keys-heading") ?>
 <table class="data api-key-list">
  <thead>
   <tr>
    <th scope="col">Key</th>
    <th scope="col">Created</th>
    <th scope="col">Created by</th>
    <th scope="col">Status</th>
<?cs if:Session.CanManage == 1 ?>    <th scope="col">Actions</th>
<?cs /if ?>   </tr>
  </thead>
  <tbody>
<?cs each:k = ApiKeys.Keys ?>   <tr>
    <th scope="row"><code><?cs var:k.Prefix ?>…</code></th>
    <td class="date"><?cs var:k.Created ?></td>
    <td><?cs var:k.CreatedBy ?></td>
    <td><?cs if:k.Active == 1 ?><span class="badge">Active</span><?cs else ?><?cs var:k.Status ?><?cs /if ?></td>
<?cs if:Session.CanManage == 1 ?>    <td class="actions"><?cs if:k.Active == 1 ?>
     <form class="inline-form" method="post" action="/billing/api-keys/revoke"><?cs call:form_hidden() ?>
      <input type="hidden" name="api_key_id" value="<?cs var:k.Id ?>">
      <button type="submit" class="button button-danger button-small">Revoke<span class="visually-hidden">: key <?cs var:k.Prefix ?>…</span></button>
     </form><?cs else ?><?cs call:or_none("") ?><?cs /if ?>
    </td>
<?cs /if ?>   </tr>
<?cs /each ?>  </tbody>
 </table>
 <?cs call:table_close() ?>
<?cs /if ?><?cs if:Session.CanManage == 1 ?> <form class="form-actions" method="post" action="/billing/api-keys"><?cs call:form_hidden() ?>
  <button type="submit" class="button button-primary">Create an API key</button>
 </form>
<?cs /if ?></section>
<?cs if:subcount(Page.Links) > 0 ?>
<ul class="related-links"><?cs each:link = Page.Links ?>
 <li><a href="<?cs var:link.Url ?>"><?cs var:link.Label ?></a></li><?cs /each ?>
</ul>
<?cs /if ?>
<?cs include!"_footer.cs" ?>
