<?cs include!"_header.cs" ?><?cs include!"_forms.cs" ?>
<h1>Billing</h1>
<?cs if:Org.Name ?><p class="page-context">Organization: <strong><?cs var:Org.Name ?></strong></p>
<?cs /if ?><?cs if:Session.ReadOnly == 1 ?><p class="note">You have read-only access.</p>
<?cs /if ?>
<section class="panel">
 <h2 id="plan-summary-heading">Plan summary</h2>
 <dl class="summary">
  <div class="summary-item">
   <dt>Next renewal</dt>
   <dd><?cs if:Renewal.None == 1 ?>Nothing renews<?cs else ?><?cs var:Renewal.Date ?><?cs /if ?></dd>
  </div>
<?cs if:Renewal.None != 1 ?>  <div class="summary-item">
   <dt>Renewal total</dt>
   <dd><span class="num"><?cs var:Renewal.Total ?></span><?cs if:Renewal.Vat ?> <span class="summary-note"><?cs var:Renewal.Vat ?></span><?cs /if ?></dd>
  </div>
<?cs if:Renewal.Due ?>  <div class="summary-item">
   <dt>Due at next renewal</dt>
   <dd><span class="num"><?cs var:Renewal.Due ?></span><?cs if:Renewal.CreditApplied ?> <span class="summary-note">After <?cs var:Renewal.CreditApplied ?> credit applied</span><?cs /if ?></dd>
  </div>
<?cs /if ?><?cs /if ?>  <div class="summary-item">
   <dt>Customer credit</dt>
   <dd><span class="num"><?cs var:Org.Credit ?></span><?cs if:Org.CreditNote ?> <span class="summary-note"><?cs var:Org.CreditNote ?></span><?cs /if ?></dd>
  </div>
 </dl>
</section>

<section class="panel">
 <h2 id="subs-heading">Subscriptions</h2>
<?cs if:subcount(Subs) == 0 ?> <p class="empty">No subscriptions yet.</p>
<?cs else ?> <?cs call:table_open("subs-heading") ?>
 <table class="data subs">
  <thead>
   <tr>
    <th scope="col">Product</th>
    <th scope="col" class="num">Quantity</th>
    <th scope="col" class="num">Unit price</th>
    <th scope="col">Current period</th>
    <th scope="col">Renews on</th>
    <th scope="col" class="num">Renewal amount</th>
    <th scope="col">Status</th>
<?cs if:Session.CanManage == 1 ?>    <th scope="col">Actions</th>
<?cs /if ?>   </tr>
  </thead>
<?cs each:sub = Subs ?>  <tbody>
   <tr>
    <th scope="row"><?cs var:sub.Product ?></th>
    <td class="num"><?cs var:sub.Quantity ?></td>
    <td class="num"><?cs var:sub.UnitPrice ?></td>
    <td><?cs var:sub.Period ?>, <span class="date"><?cs var:sub.PeriodStart ?></span> to <span class="date"><?cs var:sub.PeriodLast ?></span></td>
    <td class="date"><?cs var:sub.RenewsOn ?></td>
    <td class="num"><?cs var:sub.Amount ?></td>
    <td><?cs var:sub.Status ?><?cs if:sub.ContractEnd ?><br><span class="hint">Contract until <span class="date"><?cs var:sub.ContractEnd ?></span></span><?cs /if ?></td>
<?cs if:Session.CanManage == 1 ?>    <td class="actions"><?cs if:subcount(sub.Actions) == 0 ?><?cs call:or_none("") ?><?cs else ?><ul class="action-list"><?cs each:act = sub.Actions ?><li><?cs if:act.Post == 1 ?><form class="inline-form" method="post" action="<?cs var:act.Url ?>"><?cs call:form_hidden() ?><input type="hidden" name="subscription_id" value="<?cs var:act.Id ?>"><button type="submit" class="button button-secondary button-small"><?cs var:act.Label ?><span class="visually-hidden">: <?cs var:sub.Product ?></span></button></form><?cs else ?><a href="<?cs var:act.Url ?>"><?cs var:act.Label ?><span class="visually-hidden">: <?cs var:sub.Product ?></span></a><?cs /if ?></li><?cs /each ?></ul><?cs /if ?></td>
<?cs /if ?>   </tr>
<?cs if:subcount(sub.Lines) > 0 ?>   <tr class="breakdown">
    <td colspan="<?cs if:Session.CanManage == 1 ?>8<?cs else ?>7<?cs /if ?>">
     <details>
      <summary>Price breakdown<span class="visually-hidden"> for <?cs var:sub.Product ?></span></summary>
      <ul class="breakdown-lines"><?cs each:line = sub.Lines ?>
       <li><span class="line-label"><?cs var:line.Label ?></span> <span class="line-amount num"><?cs var:line.Amount ?></span></li><?cs /each ?>
      </ul>
     </details>
    </td>
   </tr>
<?cs /if ?>  </tbody>
<?cs /each ?> </table>
 <?cs call:table_close() ?>
<?cs /if ?></section>

<section class="panel">
 <h2 id="sensors-heading">Deployed sensors</h2>
<?cs if:subcount(Sensors) == 0 ?> <p class="empty">No sensors deployed.</p>
<?cs else ?> <?cs call:table_open("sensors-heading") ?>
 <table class="data">
  <thead>
   <tr>
    <th scope="col">Sensor type</th>
    <th scope="col" class="num">Deployed</th>
    <th scope="col" class="num">Subscribed</th>
    <th scope="col">Note</th>
   </tr>
  </thead>
  <tbody>
<?cs each:sensor = Sensors ?>   <tr>
    <th scope="row"><?cs var:sensor.Type ?></th>
    <td class="num"><?cs var:sensor.Deployed ?></td>
    <td class="num"><?cs var:sensor.Subscribed ?></td>
    <td><?cs var:sensor.Note ?></td>
   </tr>
<?cs /each ?>  </tbody>
 </table>
 <?cs call:table_close() ?>
<?cs /if ?></section>
<?cs if:?Children.0.Company ?>
<section class="panel">
 <h2 id="children-heading">Child companies</h2>
 <?cs call:table_open("children-heading") ?>
 <table class="data">
  <thead>
   <tr>
    <th scope="col">Company</th>
    <th scope="col">Product</th>
    <th scope="col" class="num">Quantity</th>
    <th scope="col" class="num">Renewal amount</th>
    <th scope="col">Renews on</th>
    <th scope="col">Status</th>
   </tr>
  </thead>
  <tbody>
<?cs each:child = Children ?>   <tr>
    <th scope="row"><?cs var:child.Company ?></th>
    <td><?cs var:child.Product ?></td>
    <td class="num"><?cs var:child.Quantity ?></td>
    <td class="num"><?cs var:child.Amount ?></td>
    <td class="date"><?cs var:child.RenewsOn ?></td>
    <td><?cs var:child.Status ?></td>
   </tr>
<?cs /each ?>  </tbody>
 </table>
 <?cs call:table_close() ?>
</section>
<?cs /if ?>
<?cs include!"_footer.cs" ?>
