<?cs include!"_header.cs" ?><?cs include!"_forms.cs" ?>
<div class="narrow confirm">
<h1>Reactivate <?cs var:Sub.Product ?>?</h1>
<p>A new <?cs var:Sub.Period ?> period starts <?cs if:Sub.StartsNow ?>today, <?cs var:Sub.Starts ?><?cs else ?>on <?cs var:Sub.Starts ?>, when the last one ends<?cs /if ?>, and runs until <?cs var:Sub.Ends ?>. After that it renews automatically.</p>
<dl class="facts">
 <div class="fact"><dt>Invoiced today</dt><dd><?cs var:Sub.Line ?></dd></div>
 <div class="fact"><dt>VAT<?cs if:Sub.VatRate ?> (<?cs var:Sub.VatRate ?>)<?cs /if ?></dt><dd><?cs var:Sub.Vat ?></dd></div>
 <div class="fact"><dt>Invoice total</dt><dd><?cs var:Sub.Total ?></dd></div>
 <div class="fact"><dt>Charged to your payment method now</dt><dd><?cs var:Sub.Card ?></dd></div>
</dl>
<p><?cs if:Sub.Credit ?>Your customer credit of <?cs var:Sub.Credit ?> is used first; the rest is charged to your default payment method.<?cs else ?>The invoice is charged to your default payment method.<?cs /if ?></p>
<form class="form" method="post" action="/billing/subscriptions/reactivate"><?cs call:form_hidden() ?>
 <input type="hidden" name="subscription_id" value="<?cs var:Sub.Id ?>">
 <div class="form-actions confirm-actions">
  <button type="submit" class="button button-primary">Reactivate and pay</button>
  <a class="button button-secondary" href="/billing">Back to billing</a>
 </div>
</form>
</div>
<?cs include!"_footer.cs" ?>
