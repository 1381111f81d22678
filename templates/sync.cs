<?cs include!"_header.cs" ?><?cs include!"_forms.cs" ?>
<h1>Synchronize with deployed sensors</h1>
<?cs if:Form.Error ?><div class="notice notice-error" role="alert"><p><?cs var:Form.Error ?></p></div>
<?cs /if ?><?cs if:Session.ReadOnly == 1 ?><p class="note">You have read-only access.</p>
<?cs /if ?><p>Deleting a sensor does not reduce your subscription: you may be moving it. Synchronizing reduces each subscription to the sensors you have deployed, and credits the unused time of every unit it removes.</p>
<section class="panel">
 <h2 id="sync-heading">Preview</h2>
 <p class="hint">Figures as of <?cs var:Sync.AsOfText ?>.</p>
<?cs if:Sync.InStep == 1 ?> <p class="empty">Your subscription matches your deployed sensors.</p>
<?cs else ?> <?cs call:table_open("sync-heading") ?>
 <table class="data sync">
  <thead>
   <tr>
    <th scope="col">Sensor type</th>
    <th scope="col">Period</th>
    <th scope="col" class="num">Subscribed</th>
    <th scope="col" class="num">Deployed</th>
    <th scope="col" class="num">Units to remove</th>
    <th scope="col">How the credit is worked out</th>
    <th scope="col" class="num">Credit</th>
   </tr>
  </thead>
  <tbody>
<?cs each:line = Sync.Lines ?>   <tr>
    <th scope="row"><?cs var:line.Type ?></th>
    <td><?cs var:line.Period ?></td>
    <td class="num"><?cs var:line.Subscribed ?></td>
    <td class="num"><?cs var:line.Deployed ?></td>
    <td class="num"><?cs var:line.Remove ?></td>
    <td class="formula"><?cs var:line.Formula ?></td>
    <td class="num"><?cs var:line.Credit ?></td>
   </tr>
<?cs /each ?>  </tbody>
  <tfoot>
   <tr>
    <th scope="row" colspan="6">Total credit</th>
    <td class="num"><strong><?cs var:Sync.Total ?></strong></td>
   </tr>
  </tfoot>
 </table>
 <?cs call:table_close() ?>
 <p class="sync-note"><?cs var:Sync.CreditWords ?></p>
<?cs if:Session.CanManage == 1 ?> <form class="form" method="post" action="/billing/sensors/sync"><?cs call:form_hidden() ?>
  <input type="hidden" name="as_of" value="<?cs var:Sync.AsOf ?>">
  <input type="hidden" name="credit" value="<?cs var:Sync.CreditMinor ?>">
  <input type="hidden" name="seal" value="<?cs var:Sync.Seal ?>">
  <div class="form-actions">
   <button type="submit" class="button button-primary">Synchronize now</button>
  </div>
 </form>
<?cs /if ?><?cs /if ?></section>
<?cs include!"_footer.cs" ?>
