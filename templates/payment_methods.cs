<?cs include!"_header.cs" ?><?cs include!"_forms.cs" ?>
<h1>Payment methods</h1>
<?cs if:Form.Error ?><div class="notice notice-error error-summary" role="alert">
 <p><?cs var:Form.Error ?></p><?cs if:Session.CanManage == 1 && Form.ProcessorToken.Error ?>
 <ul class="error-list"><?cs if:Page.Sandbox == 1 ?><?cs call:summary_link("pm-processor-token", "Test payment method", Form.ProcessorToken.Error) ?><?cs else ?><?cs call:summary_link("pm-processor-token", "Processor token", Form.ProcessorToken.Error) ?><?cs /if ?></ul><?cs /if ?>
</div>
<?cs /if ?><?cs if:Session.CanManage != 1 ?><p class="note">You have read-only access.</p>
<?cs /if ?>
<section class="panel">
 <h2 id="pm-heading">Payment methods on file</h2>
<?cs if:subcount(Methods) == 0 ?> <p class="empty">No payment method on file.</p>
<?cs else ?> <?cs call:table_open("pm-heading") ?>
 <table class="data methods">
  <thead>
   <tr>
    <th scope="col">Payment method</th>
    <th scope="col">Type</th>
    <th scope="col">Expires</th>
    <th scope="col">Mandate</th>
<?cs if:Session.CanManage == 1 ?>    <th scope="col">Actions</th>
<?cs /if ?>   </tr>
  </thead>
  <tbody>
<?cs each:pm = Methods ?>   <tr>
    <th scope="row"><?cs var:pm.Label ?><?cs if:pm.IsDefault == 1 ?> <span class="badge">Default</span><?cs /if ?></th>
    <td><?cs var:pm.Kind ?></td>
    <td class="date"><?cs call:or_none(pm.Expiry) ?></td>
    <td><?cs call:or_none(pm.Mandate) ?></td>
<?cs if:Session.CanManage == 1 ?>    <td class="actions">
     <div class="row-actions"><?cs if:pm.IsDefault != 1 ?>
      <form class="inline-form" method="post" action="/billing/payment-methods/default"><?cs call:form_hidden() ?>
       <input type="hidden" name="payment_method_id" value="<?cs var:pm.Id ?>">
       <button type="submit" class="button button-secondary button-small">Make default<span class="visually-hidden">: <?cs var:pm.Label ?></span></button>
      </form><?cs /if ?>
      <form class="inline-form" method="post" action="/billing/payment-methods/remove"><?cs call:form_hidden() ?>
       <input type="hidden" name="payment_method_id" value="<?cs var:pm.Id ?>">
       <button type="submit" class="button button-danger button-small">Remove<span class="visually-hidden">: <?cs var:pm.Label ?></span></button>
      </form>
     </div>
    </td>
<?cs /if ?>   </tr>
<?cs /each ?>  </tbody>
 </table>
 <?cs call:table_close() ?>
<?cs /if ?></section>
<?cs if:Session.CanManage == 1 ?>
<section class="panel">
 <h2>Add a payment method</h2>
 <p>Reckon never receives your card number: the payment processor keeps it and gives us a token.</p>
 <form class="form" method="post" action="/billing/payment-methods"><?cs call:form_hidden() ?>
<?cs if:Page.Sandbox == 1 ?>  <div class="field<?cs if:Form.ProcessorToken.Error ?> field-invalid<?cs /if ?>"><?cs
   call:field_label("pm-processor-token", "Test payment method", "") ?><?cs
   call:field_hint("pm-processor-token", "Sandbox: these test tokens stand in for the payment processor's card form. No real card is charged.") ?><?cs
   call:field_error("pm-processor-token", Form.ProcessorToken.Error) ?>
   <select id="pm-processor-token" name="processor_token"<?cs call:described_by("pm-processor-token", "1", Form.ProcessorToken.Error) ?> required><?cs each:tok = SandboxTokens ?>
    <option value="<?cs var:tok.Token ?>"><?cs var:tok.Label ?></option><?cs /each ?>
   </select>
  </div>
<?cs else ?><?cs call:text_field(Form.ProcessorToken, "pm-processor-token", "processor_token", "text", "Processor token", "", "The token your payment processor's card form returned.", "off", "1") ?>
<?cs /if ?>  <div class="form-actions">
   <button type="submit" class="button button-primary">Add payment method</button>
  </div>
 </form>
</section>
<?cs /if ?>
<?cs include!"_footer.cs" ?>
