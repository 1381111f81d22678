<?cs include!"_header.cs" ?>
<div class="narrow error-page">
<h1><?cs if:Error.Status ?><span class="error-status"><?cs var:Error.Status ?></span> <?cs /if ?><?cs var:Error.Title ?></h1>
<?cs if:Error.Message ?><p><?cs var:Error.Message ?></p>
<?cs /if ?><?cs if:Error.SignOut == 1 ?><form class="form" method="post" action="/logout">
 <input type="hidden" name="csrf" value="<?cs var:Session.Csrf ?>">
 <button type="submit" class="button button-primary">Sign out</button>
</form>
<?cs else ?><p><?cs if:Error.BackUrl ?><a href="<?cs var:Error.BackUrl ?>"><?cs if:Error.BackLabel ?><?cs var:Error.BackLabel ?><?cs else ?>Go back<?cs /if ?></a><?cs else ?><a href="/billing">Back to billing</a><?cs /if ?></p>
<?cs /if ?>
</div>
<?cs include!"_footer.cs" ?>
