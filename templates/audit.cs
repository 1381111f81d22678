<?cs include!"_header.cs" ?>
<h1 id="audit-heading">Audit log</h1>
<p class="page-context">Every change of billing details and payment methods, newest first.</p>
<section class="panel">
<?cs if:subcount(Audit) == 0 ?> <p class="empty">No changes recorded yet.</p>
<?cs else ?> <?cs call:table_open("audit-heading") ?>
 <table class="data audit">
  <thead>
   <tr>
    <th scope="col">When</th>
    <th scope="col">Who</th>
    <th scope="col">From address</th>
    <th scope="col">What</th>
    <th scope="col">Before</th>
    <th scope="col">After</th>
   </tr>
  </thead>
  <tbody>
<?cs each:entry = Audit ?>   <tr>
    <th scope="row" class="date"><?cs call:or_none(entry.At) ?></th>
    <td><?cs call:or_none(entry.Actor) ?></td>
    <td class="addr"><?cs call:or_none(entry.Addr) ?></td>
    <td><?cs call:or_none(entry.Action) ?></td>
    <td><?cs call:or_none(entry.Old) ?></td>
    <td><?cs call:or_none(entry.New) ?></td>
   </tr>
<?cs /each ?>  </tbody>
 </table>
 <?cs call:table_close() ?>
<?cs /if ?><?cs if:Page.FirstUrl || Page.NextUrl ?> <nav class="pager" aria-label="Audit log pages">
  <ul><?cs if:Page.FirstUrl ?>
   <li><a href="<?cs var:Page.FirstUrl ?>">Newest changes</a></li><?cs /if ?><?cs if:Page.NextUrl ?>
   <li><a href="<?cs var:Page.NextUrl ?>">Older changes</a></li><?cs /if ?>
  </ul>
 </nav>
<?cs /if ?></section>
<?cs include!"_footer.cs" ?>
