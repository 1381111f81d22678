<?cs include!"_header.cs" ?><?cs include!"_forms.cs" ?>
<div class="narrow confirm">
<h1>Cancel the renewal of <?cs var:Sub.Product ?>?</h1>
<dl class="facts">
 <div class="fact"><dt>Subscription</dt><dd><?cs var:Sub.Quantity ?> × <?cs var:Sub.Product ?></dd></div>
 <div class="fact"><dt>Period</dt><dd><?cs var:Sub.Period ?></dd></div>
 <div class="fact"><dt>Service ends on</dt><dd><?cs var:Sub.Ends ?></dd></div>
</dl>
<p>Your service continues until <strong><?cs var:Sub.Ends ?></strong> (<?cs var:Sub.EndsWhy ?>).</p>
<p><?cs var:Sub.AfterEnd ?></p>
<p>You can take this back until <?cs var:Sub.Ends ?>.</p>
<form class="form" method="post" action="/billing/subscriptions/cancel"><?cs call:form_hidden() ?>
 <input type="hidden" name="subscription_id" value="<?cs var:Sub.Id ?>">
 <div class="form-actions confirm-actions">
  <button type="submit" class="button button-danger">Cancel renewal</button>
  <a class="button button-secondary" href="/billing">Keep my subscription</a>
 </div>
</form>
</div>
<?cs include!"_footer.cs" ?>
