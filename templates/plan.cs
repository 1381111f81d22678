<?cs include!"_header.cs" ?><?cs include!"_forms.cs" ?>
<h1>Change plan</h1>
<?cs if:Form.Error ?><div class="notice notice-error" role="alert"><p><?cs var:Form.Error ?></p></div>
<?cs /if ?><?cs if:Session.ReadOnly == 1 ?><p class="note">You have read-only access: you can see what a change would cost, but only an owner or a billing admin can make it.</p>
<?cs /if ?><?cs if:Sub.Id ?><section class="panel">
 <h2>Your plan now</h2>
 <dl class="facts">
  <div class="fact"><dt>Plan</dt><dd><?cs var:Sub.Product ?></dd></div>
  <div class="fact"><dt>Billing period</dt><dd><?cs var:Sub.Period ?></dd></div>
  <div class="fact"><dt>Quantity</dt><dd><?cs var:Sub.Quantity ?></dd></div>
  <div class="fact"><dt>Unit price</dt><dd><?cs var:Sub.UnitPrice ?></dd></div>
  <div class="fact"><dt>Current period</dt><dd><?cs var:Sub.PeriodStart ?> to <?cs var:Sub.PeriodEnd ?></dd></div>
 </dl>
</section>
<section class="panel">
 <h2>Choose the new plan</h2>
 <form class="form" method="get" action="/billing/plan">
  <input type="hidden" name="subscription_id" value="<?cs var:Sub.Id ?>">
  <div class="field<?cs if:Form.PlanId.Error ?> field-invalid<?cs /if ?>"><?cs
   call:field_label("plan-plan", "Plan", "") ?><?cs
   call:field_error("plan-plan", Form.PlanId.Error) ?>
   <select id="plan-plan" name="plan_id"<?cs call:described_by("plan-plan", "", Form.PlanId.Error) ?>><?cs each:p = Plans ?>
    <option value="<?cs var:p.Id ?>"<?cs if:p.Selected == 1 ?> selected<?cs /if ?>><?cs var:p.Label ?></option><?cs /each ?>
   </select>
  </div>
  <div class="field<?cs if:Form.Quantity.Error ?> field-invalid<?cs /if ?>"><?cs
   call:field_label("plan-quantity", "Quantity", "") ?><?cs
   call:field_hint("plan-quantity", "Users for a per-user plan, sensors for a sensor plan.") ?><?cs
   call:field_error("plan-quantity", Form.Quantity.Error) ?>
   <input id="plan-quantity" name="quantity" type="number" min="1" max="100000" step="1" inputmode="numeric" value="<?cs var:Form.Quantity.Value ?>"<?cs call:described_by("plan-quantity", "hint", Form.Quantity.Error) ?> required>
  </div>
  <div class="form-actions">
   <button type="submit" class="button button-secondary">Preview</button>
  </div>
 </form>
</section>
<?cs if:Quote.AsOf ?><section class="panel">
 <h2 id="quote-heading">Preview</h2>
 <p class="hint">Figures as of <?cs var:Quote.AsOfText ?>. Each line is prorated by the second and rounded half-up once.</p>
 <?cs call:table_open("quote-heading") ?>
 <table class="data quote">
  <thead>
   <tr>
    <th scope="col">Line</th>
    <th scope="col">How it is worked out</th>
    <th scope="col" class="num">Amount</th>
   </tr>
  </thead>
  <tbody>
<?cs each:line = Quote.Lines ?>   <tr>
    <th scope="row"><?cs var:line.Label ?></th>
    <td class="formula"><?cs var:line.Formula ?></td>
    <td class="num"><?cs var:line.Amount ?></td>
   </tr>
<?cs /each ?>  </tbody>
  <tfoot>
   <tr>
    <th scope="row" colspan="2"><?cs var:Quote.TotalLabel ?></th>
    <td class="num"><strong><?cs var:Quote.Total ?></strong></td>
   </tr>
  </tfoot>
 </table>
 <?cs call:table_close() ?>
 <p class="quote-summary"><strong><?cs var:Quote.Summary ?></strong></p>
<?cs if:Quote.Note ?> <p><?cs var:Quote.Note ?></p>
<?cs /if ?> <p class="quote-until">This quote is honoured until <?cs var:Quote.Until ?> (30 minutes).</p>
<?cs if:Session.CanManage == 1 ?> <form class="form" method="post" action="/billing/plan"><?cs call:form_hidden() ?>
  <input type="hidden" name="subscription_id" value="<?cs var:Sub.Id ?>">
  <input type="hidden" name="plan_id" value="<?cs var:Quote.PlanId ?>">
  <input type="hidden" name="quantity" value="<?cs var:Quote.Quantity ?>">
  <input type="hidden" name="version" value="<?cs var:Quote.Version ?>">
  <input type="hidden" name="seal" value="<?cs var:Quote.Seal ?>">
  <input type="hidden" name="as_of" value="<?cs var:Quote.AsOf ?>">
  <div class="form-actions confirm-actions">
   <button type="submit" class="button button-primary">Confirm the change</button>
   <a class="button button-secondary" href="/billing">Back to billing</a>
  </div>
 </form>
<?cs /if ?></section>
<?cs /if ?><?cs else ?><section class="panel">
 <h2 id="subs-heading">Which subscription?</h2>
<?cs if:Page.NoSubs == 1 ?> <p class="empty">You have no active subscription to change.</p>
<?cs else ?> <ul class="plan-subs"><?cs each:sub = Subs ?>
  <li><a href="<?cs var:sub.Url ?>"><?cs var:sub.Product ?></a> <span class="hint"><?cs var:sub.Quantity ?>, <?cs var:sub.Period ?></span></li><?cs /each ?>
 </ul>
<?cs /if ?></section>
<?cs /if ?><?cs include!"_footer.cs" ?>
