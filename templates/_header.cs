<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><?cs var:Page.Title ?> — Reckon</title>
<link rel="stylesheet" href="/static/css/reckon.css">
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<?cs if:Session.UserName ?><header class="site-header">
 <div class="topbar">
  <p class="topbar-org"><span class="brand">Reckon</span> <span class="org-name"><?cs var:Session.OrgName ?></span></p>
  <div class="topbar-user">
   <p class="user"><span class="user-name"><?cs var:Session.UserName ?></span><?cs if:Session.RoleLabel ?> <span class="user-role"><?cs var:Session.RoleLabel ?></span><?cs /if ?></p>
   <form class="logout" method="post" action="/logout">
    <input type="hidden" name="csrf" value="<?cs var:Session.Csrf ?>">
    <button type="submit" class="button button-quiet">Log out</button>
   </form>
  </div>
 </div>
 <?cs if:subcount(Page.Nav) > 0 ?><nav class="site-nav" aria-label="Main">
  <ul><?cs each:item = Page.Nav ?>
   <li><a href="<?cs var:item.Url ?>"<?cs if:item.Current == 1 ?> aria-current="page"<?cs /if ?>><?cs var:item.Label ?></a></li><?cs /each ?>
  </ul>
 </nav><?cs /if ?>
</header><?cs else ?><header class="site-header">
 <div class="topbar">
  <p class="topbar-org"><span class="brand">Reckon</span></p>
 </div>
</header><?cs /if ?>
<main id="main" class="content">
<?cs include!"macros.cs" ?><?cs if:Page.Flash ?><div class="notice notice-success" role="status"><p><?cs var:Page.Flash ?></p></div>
<?cs /if ?><?cs if:Page.Banner ?><div class="notice notice-warning" role="alert"><p><?cs var:Page.Banner ?><?cs if:Page.BannerUrl ?> <a href="<?cs var:Page.BannerUrl ?>"><?cs var:Page.BannerLink ?></a><?cs /if ?></p><?cs if:Page.BannerPay == 1 ?><form class="banner-pay" method="post" action="/billing/pay"><input type="hidden" name="csrf" value="<?cs var:Session.Csrf ?>"><button type="submit" class="button button-primary">Pay now</button></form><?cs /if ?></div>
<?cs /if ?>
