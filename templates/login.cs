<?cs include!"_header.cs" ?>
<div class="narrow">
<h1>Sign in to Reckon</h1>
<?cs if:Form.Error ?><div class="notice notice-error" role="alert"><p><?cs var:Form.Error ?></p></div>
<?cs /if ?><form class="form" method="post" action="/login">
 <input type="hidden" name="csrf" value="<?cs var:Form.Csrf ?>">
<?cs if:Form.Next ?> <input type="hidden" name="next" value="<?cs var:Form.Next ?>">
<?cs /if ?> <div class="field">
  <label for="login-email">Email</label>
  <input id="login-email" name="email" type="email" value="<?cs var:Form.Email.Value ?>" autocomplete="username" spellcheck="false" autocapitalize="none" required>
 </div>
 <div class="field">
  <label for="login-password">Password</label>
  <input id="login-password" name="password" type="password" autocomplete="current-password" required>
 </div>
 <div class="form-actions">
  <button type="submit" class="button button-primary">Sign in</button>
 </div>
</form>
</div>
<?cs include!"_footer.cs" ?>
