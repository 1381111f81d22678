<?cs include!"_header.cs" ?><?cs include!"_forms.cs" ?>
<h1>Receipts and invoices</h1>
<?cs if:Form.Error ?><div class="notice notice-error error-summary" role="alert">
 <p><?cs var:Form.Error ?></p>
 <ul class="error-list"><?cs
  call:summary_link("receipts-period", "Month", Form.Period.Error) ?><?cs
  call:summary_link("receipts-year", "Year", Form.Year.Error) ?></ul>
</div>
<?cs /if ?><p class="page-context">Invoices and credit notes issued to your organization, newest first. Each one downloads as a PDF; a whole period downloads as a CSV or as one ZIP of PDFs.</p>
<section class="panel">
 <h2 id="receipts-picker-heading">Choose a period</h2>
 <div class="period-picker">
  <form class="form period-form" method="get" action="/billing/receipts"><?cs
   call:text_field(Form.Period, "receipts-period", "period", "month", "Month", "", "For example 2026-11.", "off", "") ?>
   <button type="submit" class="button button-secondary">Show<span class="visually-hidden"> month</span></button>
  </form>
  <form class="form period-form" method="get" action="/billing/receipts"><?cs
   call:text_field(Form.Year, "receipts-year", "year", "number", "Year", "", "For example 2026.", "off", "") ?>
   <button type="submit" class="button button-secondary">Show<span class="visually-hidden"> year</span></button>
  </form>
 </div>
</section>
<?cs if:Sel.Label ?>
<section class="panel">
 <h2 id="receipts-heading">Issued in <?cs var:Sel.Label ?></h2>
<?cs if:Sel.PrevUrl || Sel.NextUrl || Sel.YearUrl ?> <nav class="period-nav" aria-label="Other periods">
  <ul><?cs if:Sel.PrevUrl ?>
   <li><a href="<?cs var:Sel.PrevUrl ?>" rel="prev">Previous: <?cs var:Sel.PrevLabel ?></a></li><?cs /if ?><?cs if:Sel.NextUrl ?>
   <li><a href="<?cs var:Sel.NextUrl ?>" rel="next">Next: <?cs var:Sel.NextLabel ?></a></li><?cs /if ?><?cs if:Sel.YearUrl ?>
   <li><a href="<?cs var:Sel.YearUrl ?>">All of <?cs var:Sel.YearLabel ?></a></li><?cs /if ?>
  </ul>
 </nav>
<?cs /if ?><?cs if:Sel.CsvUrl || Sel.ZipUrl ?> <ul class="related-links downloads"><?cs if:Sel.CsvUrl ?>
  <li><a href="<?cs var:Sel.CsvUrl ?>">Download CSV<span class="visually-hidden"> of <?cs var:Sel.Label ?></span></a></li><?cs /if ?><?cs if:Sel.ZipUrl ?>
  <li><a href="<?cs var:Sel.ZipUrl ?>">Download all PDFs and e-invoices (ZIP)<span class="visually-hidden"> of <?cs var:Sel.Label ?></span></a></li><?cs /if ?>
 </ul>
<?cs /if ?><?cs if:subcount(Docs) == 0 ?> <p class="empty">No documents in this period.</p>
<?cs else ?> <?cs call:table_open("receipts-heading") ?>
 <table class="data receipts" aria-labelledby="receipts-heading">
  <thead>
   <tr>
    <th scope="col">Number</th>
    <th scope="col">Kind</th>
    <th scope="col">Issued</th>
    <th scope="col">Service period</th>
    <th scope="col" class="num">Total</th>
    <th scope="col">Status</th>
    <th scope="col">Download</th>
   </tr>
  </thead>
  <tbody>
<?cs each:doc = Docs ?>   <tr>
    <th scope="row"><?cs var:doc.Number ?></th>
    <td><?cs var:doc.Kind ?></td>
    <td class="date"><?cs var:doc.Issued ?></td>
    <td class="date"><?cs var:doc.Period ?></td>
    <td class="num"><?cs var:doc.Total ?></td>
    <td><?cs var:doc.Status ?></td>
    <td><?cs if:doc.PdfUrl ?><a href="<?cs var:doc.PdfUrl ?>">PDF<span class="visually-hidden"> of <?cs var:doc.Number ?></span></a><?cs if:doc.XmlUrl ?> · <a href="<?cs var:doc.XmlUrl ?>">E-invoice<span class="visually-hidden"> (UBL XML) of <?cs var:doc.Number ?></span></a><?cs /if ?><?cs else ?><?cs call:or_none("") ?><?cs /if ?></td>
   </tr>
<?cs /each ?>  </tbody>
 </table>
 <?cs call:table_close() ?>
<?cs /if ?><?cs if:Page.FirstUrl || Page.NextUrl ?> <nav class="pager" aria-label="Pages of documents">
  <ul><?cs if:Page.FirstUrl ?>
   <li><a href="<?cs var:Page.FirstUrl ?>">Newest documents</a></li><?cs /if ?><?cs if:Page.NextUrl ?>
   <li><a href="<?cs var:Page.NextUrl ?>">Older documents</a></li><?cs /if ?>
  </ul>
 </nav>
<?cs /if ?></section>
<?cs /if ?>
<?cs include!"_footer.cs" ?>
