/* page_api.c: the sensors API (deploy, remove, by API key) and the pages that create and revoke its keys. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <sodium.h>

#include "apikey.h"
#include "audit.h"
#include "db.h"
#include "db_org.h"
#include "form.h"
#include "gateway.h"
#include "http.h"
#include "money.h"
#include "pages.h"
#include "render.h"
#include "renewal.h"
#include "req.h"
#include "sensors.h"
#include "server.h"
#include "session.h"
#include "util.h"

#define SENSORS_PATH	"/api/v1/sensors/"
#define DETAILS_URL	"/billing/details"

/* What each refusal of a body says, by enum sensor_body_rc. */
static const char *const body_msgs[] = {
	NULL,						/* SB_OK */
	"The body is not valid JSON, or has a member twice. Send "
	"{\"id\": \"T-0042\", \"type\": \"temp\"}.",	/* SB_SYNTAX */
	"The body must be a JSON object: "
	"{\"id\": \"T-0042\", \"type\": \"temp\"}.",	/* SB_NOT_OBJECT */
	"The body takes two members only, \"id\" and \"type\"; "
	"nothing was changed.",				/* SB_MEMBER */
	"\"id\" and \"type\" must be JSON strings.",	/* SB_NOT_STRING */
	"Both \"id\" and \"type\" are required.",	/* SB_MISSING */
	"\"id\" must be 1 to 64 letters, digits, dots, underscores or "
	"hyphens.",					/* SB_BAD_ID */
	"\"type\" must be a sensor type's code, such as \"temp\": 1 to 32 "
	"lower-case letters, digits, underscores or hyphens.", /* SB_BAD_TYPE */
};

/* Whether s is 1 to max characters, each in set (or a letter/digit). */
static int
word_of(const char *s, size_t max, int upper, const char *set)
{
	size_t	 n;

	for (n = 0; s[n] != '\0'; n++) {
		if (n >= max)
			return 0;
		if ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' &&
		    s[n] <= '9') || (upper && s[n] >= 'A' && s[n] <= 'Z') ||
		    strchr(set, s[n]) != NULL)
			continue;
		return 0;
	}
	return n > 0;
}

/*
 * Whether s is a sensor id the monitoring product may use: 1 to 64 of
 * [A-Za-z0-9._-].
 */
int
page_api_sensor_id_valid(const char *s)
{
	return word_of(s, 64, 1, "._-");
}

/* Whether s has the shape of a product code: 1 to 32 of [a-z0-9_-]. */
int
page_api_sensor_type_valid(const char *s)
{
	return word_of(s, 32, 0, "_-");
}

/*
 * Read the body of POST /api/v1/sensors: body (borrowed, len bytes, no
 * NUL needed) must be a JSON object with exactly the string members
 * "id" and "type", no member twice, nothing after it.  On SB_OK out
 * holds both, checked by page_api_sensor_id_valid and
 * page_api_sensor_type_valid; on any other enum sensor_body_rc out is
 * zeroed.  Allocates nothing that outlives the call.
 */
int
page_api_sensor_body(const char *body, size_t len, struct sensor_body *out)
{
	json_t		*root, *v;
	json_error_t	 err;
	const char	*key, *s, *id = NULL, *type = NULL;
	int		 rc = SB_OK;

	memset(out, 0, sizeof(*out));
	if ((root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err)) ==
	    NULL)
		return SB_SYNTAX;
	if (!json_is_object(root)) {
		json_decref(root);
		return SB_NOT_OBJECT;
	}
	json_object_foreach(root, key, v) {
		if (strcmp(key, "id") != 0 && strcmp(key, "type") != 0) {
			rc = SB_MEMBER;
			break;
		}
		if (!json_is_string(v) || (s = json_string_value(v)) == NULL ||
		    strlen(s) != json_string_length(v)) {
			rc = SB_NOT_STRING;
			continue;	/* an unknown member still says so */
		}
		if (key[0] == 'i')
			id = s;
		else
			type = s;
	}
	if (rc == SB_OK && (id == NULL || type == NULL))
		rc = SB_MISSING;
	else if (rc == SB_OK && !page_api_sensor_id_valid(id))
		rc = SB_BAD_ID;
	else if (rc == SB_OK && !page_api_sensor_type_valid(type))
		rc = SB_BAD_TYPE;
	if (rc == SB_OK) {
		memcpy(out->id, id, strlen(id) + 1);
		memcpy(out->type, type, strlen(type) + 1);
	}
	json_decref(root);
	return rc;
}

/* Answer 401 with its challenge and msg. */
static int
unauthorized(struct req *r, const char *msg)
{
	req_header(r, "WWW-Authenticate: Bearer");
	r->error_msg = msg;
	return HTTP_UNAUTHORIZED;
}

/*
 * The key of the request's "Authorization: Bearer KEY" header, checked
 * inside or outside a transaction: *org and prefix (the key's first
 * APIKEY_PREFIX_LEN characters) are set.  Returns 0, 401 with the
 * challenge, or the status of a database failure.
 */
static int
authenticate(struct req *r, int64_t *org, char prefix[APIKEY_PREFIX_LEN + 1])
{
	const char	*s = r->authorization;
	char		 key[APIKEY_LEN + 1];
	size_t		 n;
	int		 rc;

	*org = 0;
	if (s == NULL || *s == '\0')
		return unauthorized(r, "Send your API key in the header "
		    "\"Authorization: Bearer rk_...\". An owner or a billing "
		    "admin creates keys on the billing details page.");
	if (strncasecmp(s, "Bearer", 6) != 0 ||
	    (s[6] != ' ' && s[6] != '\t' && s[6] != '\0'))
		return unauthorized(r, "Only \"Authorization: Bearer\" with an "
		    "API key is accepted.");
	for (s += 6; *s == ' ' || *s == '\t'; s++)
		continue;
	for (n = strlen(s); n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t');)
		n--;
	if (n != APIKEY_LEN)
		goto bad;
	memcpy(key, s, n);
	key[n] = '\0';
	rc = apikey_check(r->db, key, org);
	sodium_memzero(key, sizeof(key));
	if (rc == DB_NOTFOUND)
		goto bad;
	if (rc != DB_OK)
		return page_db_status(r, rc);
	r->org_id = *org;
	snprintf(prefix, APIKEY_PREFIX_LEN + 1, "%.*s", APIKEY_PREFIX_LEN, s);
	return 0;
bad:
	return unauthorized(r, "This API key is not valid or has been "
	    "revoked. An owner or a billing admin can create a new one on "
	    "the billing details page.");
}

/* Whether the request's Content-Type is application/json (parameters ok). */
static int
json_content_type(const char *ct)
{
	static const char	 t[] = "application/json";

	if (ct == NULL || strncasecmp(ct, t, sizeof(t) - 1) != 0)
		return 0;
	ct += sizeof(t) - 1;
	return *ct == '\0' || *ct == ';' || *ct == ' ' || *ct == '\t';
}

/* Put the JSON object o (taken) into the response, as a blob. */
static int
answer(struct req *r, json_t *o, int status)
{
	char	*s;

	if (o == NULL)
		return -1;
	s = json_dumps(o, JSON_PRESERVE_ORDER);
	json_decref(o);
	if (s == NULL) {
		log_warnx("%s: json_dumps failed", __func__);
		return -1;
	}
	r->ctype = "application/json";
	buf_puts(&r->blob, s);
	buf_puts(&r->blob, "\n");
	free(s);
	return status;
}

/*
 * The start of a write: the write transaction, and the key checked
 * again inside it (a key revoked meanwhile no longer works).  Returns
 * 0 with the transaction open, or a status with none open.
 */
static int
begin(struct req *r, int64_t org)
{
	int64_t	 again, wait;
	char	 prefix[APIKEY_PREFIX_LEN + 1];
	int	 rc;

	if ((rc = db_begin_write(r->db)) != DB_OK)
		return page_db_status(r, rc);
	if ((rc = authenticate(r, &again, prefix)) != 0 || again != org) {
		db_rollback(r->db);
		return rc != 0 ? rc : unauthorized(r, "This API key has just "
		    "been revoked.");
	}
	/* One client cannot flood the ledger: calls a key makes a minute. */
	switch ((rc = apikey_rate(r->db, prefix, r->now, r->cfg->api_rate,
	    &wait))) {
	case DB_OK:
		return 0;
	case DB_CONFLICT:
		db_rollback(r->db);
		req_header(r, "Retry-After: %lld", (long long)wait);
		r->error_msg = "This API key made more calls this minute than "
		    "it may; nothing was changed. Wait for the time the "
		    "Retry-After header says, then send the call again.";
		return HTTP_TOO_MANY_REQUESTS;
	default:
		db_rollback(r->db);
		return page_db_status(r, rc);
	}
}

/*
 * POST /api/v1/sensors (API key; no session, no CSRF)
 * Header Authorization: Bearer KEY; body application/json
 * {"id": "T-0042", "type": "temp"}.  The monitoring product deployed
 * the sensor: 201 {"id", "type", "status": "deployed",
 * "added_to_subscription", "prorated_charge" (net), "vat", "total"
 * (what its invoice line charges, VAT included), "currency", "billing":
 * "next_invoice", "invoiced_now" or "none"}; deployed already: 200 with
 * status "already_deployed".  401 (bad key, with WWW-Authenticate),
 * 415 (not JSON), 400 (a bad body), 422 (unknown type), 409 (no
 * subscription for the type): nothing changed.  One write transaction;
 * an annual plan's charge is attempted after the commit.
 */
int
page_api_sensor_deploy(struct req *r, HDF *hdf)
{
	struct deploy_result	 res;
	struct renewal_stats	 stats;
	struct sensor_body	 b;
	struct org		*o = NULL;
	struct actor		 a;
	char			 prefix[APIKEY_PREFIX_LEN + 1], who[64];
	char			 cur[4], amount[MONEY_FMT_BUFSZ], vat[MONEY_FMT_BUFSZ];
	char			 total[MONEY_FMT_BUFSZ];
	const char		*billing;
	int64_t			 org;
	int			 rc, src;

	(void)hdf;
	if ((rc = authenticate(r, &org, prefix)) != 0)
		return rc;
	if (!json_content_type(r->content_type)) {
		r->error_msg = "Send the body as JSON, with the header "
		    "\"Content-Type: application/json\".";
		return HTTP_UNSUPPORTED_MEDIA_TYPE;
	}
	if (r->json == NULL) {
		r->error_msg = "The body is empty. Send "
		    "{\"id\": \"T-0042\", \"type\": \"temp\"}.";
		return HTTP_BAD_REQUEST;
	}
	if ((src = page_api_sensor_body(r->json, r->jsonlen, &b)) != SB_OK) {
		r->error_msg = body_msgs[src];
		return HTTP_BAD_REQUEST;
	}
	snprintf(who, sizeof(who), "API key %s\xe2\x80\xa6", prefix);
	a = (struct actor){ 0, who, r->remote_addr, r->now };

	if ((rc = begin(r, org)) != 0)
		return rc;
	src = sensor_deploy(r->db, org, &a, b.id, b.type, r->now, &res);
	switch (src) {
	case SENSOR_OK:
	case SENSOR_ALREADY:
		break;
	case SENSOR_UNKNOWN_TYPE:
		db_rollback(r->db);
		r->error_msg = "There is no sensor type with this code. Use "
		    "the code of a sensor type of your plans, such as "
		    "\"temp\"; nothing was changed.";
		return HTTP_UNPROCESSABLE;
	case SENSOR_TOO_MANY:
		db_rollback(r->db);
		r->error_msg = "This subscription already holds 100,000 "
		    "sensors, the most one subscription can hold; nothing was "
		    "changed. Ask us about a second subscription.";
		return HTTP_UNPROCESSABLE;
	case SENSOR_NO_SUBSCRIPTION:
		db_rollback(r->db);
		r->error_msg = "Your organization has no active subscription "
		    "for this sensor type. Subscribe to it first, then deploy "
		    "the sensor; nothing was changed.";
		return HTTP_CONFLICT;
	default:
		db_rollback(r->db);
		return page_db_status(r, DB_ERROR);
	}
	if ((rc = db_org_get(r->db, org, &o)) != DB_OK) {
		db_rollback(r->db);
		return page_db_status(r, rc == DB_NOTFOUND ? DB_ERROR : rc);
	}
	snprintf(cur, sizeof(cur), "%s", res.units_added ? res.currency :
	    o->currency);
	db_org_free(o);
	if ((rc = db_commit(r->db)) != DB_OK)
		return page_db_status(r, rc);

	if (res.charge_id != 0) {
		memset(&stats, 0, sizeof(stats));
		rc = renewal_charge_now(r->db, res.charge_id, r->now, &stats);
		if (rc != DB_OK)
			log_warnx("%s: charge %lld: %s; the renewal run "
			    "retries it", __func__, (long long)res.charge_id,
			    db_rc_str(rc));
	}
	if (money_fmt_plain(res.units_added ? res.amount : 0, cur, amount,
	    sizeof(amount)) != MONEY_OK ||
	    money_fmt_plain(res.units_added ? res.tax : 0, cur, vat,
	    sizeof(vat)) != MONEY_OK ||
	    money_fmt_plain(res.units_added ? res.amount + res.tax : 0, cur,
	    total, sizeof(total)) != MONEY_OK) {
		log_warnx("%s: cannot format %lld %s", __func__,
		    (long long)res.amount, cur);
		return -1;
	}
	billing = !res.units_added || res.amount == 0 ? "none" :
	    res.invoiced_now ? "invoiced_now" : "next_invoice";
	return answer(r, json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s, "
	    "s:s}", "id", b.id, "type", b.type, "status", src == SENSOR_OK ?
	    "deployed" : "already_deployed", "added_to_subscription",
	    (int)res.units_added, "prorated_charge", amount, "vat", vat,
	    "total", total, "currency", cur, "billing", billing),
	    src == SENSOR_OK ? HTTP_CREATED : HTTP_OK);
}

/*
 * DELETE /api/v1/sensors/ID (API key; no session, no CSRF)
 * The monitoring product removed sensor ID: 200 {"id", "status":
 * "removed"}, or "already_removed".  The subscription is not reduced.
 * 401 (bad key), 400 (a bad id), 404 (no such sensor in the key's
 * organization).
 */
int
page_api_sensor_remove(struct req *r, HDF *hdf)
{
	const char	*id;
	char		 prefix[APIKEY_PREFIX_LEN + 1];
	int64_t		 org;
	int		 rc, src;

	(void)hdf;
	if ((rc = authenticate(r, &org, prefix)) != 0)
		return rc;
	if (strncmp(r->path, SENSORS_PATH, sizeof(SENSORS_PATH) - 1) != 0)
		abort();	/* the route table sends only these */
	id = r->path + sizeof(SENSORS_PATH) - 1;
	if (!page_api_sensor_id_valid(id)) {
		r->error_msg = body_msgs[SB_BAD_ID];
		return HTTP_BAD_REQUEST;
	}
	if ((rc = begin(r, org)) != 0)
		return rc;
	switch ((src = sensor_remove(r->db, org, id, r->now))) {
	case SENSOR_OK:
	case SENSOR_ALREADY:
		if ((rc = db_commit(r->db)) != DB_OK)
			return page_db_status(r, rc);
		break;
	case SENSOR_NOT_FOUND:
		db_rollback(r->db);
		r->error_msg = "Your organization has no sensor with this id.";
		return HTTP_NOT_FOUND;
	default:
		db_rollback(r->db);
		return page_db_status(r, DB_ERROR);
	}
	return answer(r, json_pack("{s:s, s:s}", "id", id, "status",
	    src == SENSOR_OK ? "removed" : "already_removed"), HTTP_OK);
}

/*
 * Put the details page's "Sensors API keys" section: the organization's
 * keys as ApiKeys.Keys.N.{Id,Prefix,Created,CreatedBy,Status,Active}
 * (never a key itself), and the flash after a key was created or
 * revoked (F_DONE).  Every role that sees the details page sees the
 * list; the template shows the buttons to Session.CanManage only.
 * Returns 0, or -1 (logged).
 */
int
page_api_keys_put(struct req *r, HDF *hdf)
{
	const struct field	*done = req_field(r, F_DONE);
	struct apikey_list	 l;
	char			 day[16], status[64];
	size_t			 i;
	int			 rc;

	if ((rc = apikey_list(r->db, r->sess->org_id, &l)) != DB_OK) {
		apikey_list_free(&l);
		return -1;
	}
	rc = -1;
	for (i = 0; i < l.n; i++) {
		const struct apikey *k = &l.v[i];

		if (k->revoked_at != 0) {
			util_time_fmt(k->revoked_at, "%Y-%m-%d", day,
			    sizeof(day));
			snprintf(status, sizeof(status), "Revoked %s", day);
		} else
			snprintf(status, sizeof(status), "Active");
		if (hdf_put_int(hdf, k->id, "ApiKeys.Keys.%zu.Id", i) ||
		    hdf_put(hdf, k->prefix, "ApiKeys.Keys.%zu.Prefix", i) ||
		    hdf_put_date(hdf, k->created_at,
		    "ApiKeys.Keys.%zu.Created", i) ||
		    hdf_put(hdf, k->created_by, "ApiKeys.Keys.%zu.CreatedBy",
		    i) ||
		    hdf_put(hdf, status, "ApiKeys.Keys.%zu.Status", i))
			goto out;
		if (k->revoked_at == 0 &&
		    hdf_put(hdf, "1", "ApiKeys.Keys.%zu.Active", i))
			goto out;
	}
	if (done != NULL && strcmp(done->u.s, "key_created") == 0 &&
	    hdf_put(hdf, "API key created. It was shown once and cannot be "
	    "shown again; if it was not copied, revoke it and create "
	    "another.", "Page.Flash"))
		goto out;
	if (done != NULL && strcmp(done->u.s, "key_revoked") == 0 &&
	    hdf_put(hdf, "API key revoked: it no longer works.", "Page.Flash"))
		goto out;
	rc = 0;
out:
	apikey_list_free(&l);
	return rc;
}

/*
 * POST /billing/api-keys (billing admin and above; CSRF checked)
 * Fields: F_FORM_TOKEN.  Creates a sensors API key, audited, and
 * answers 200 with the details page showing the key this once
 * (ApiKeys.NewKey); it is never shown or retrievable again.  A repeat
 * of the same form creates nothing and answers 303 to the details page.
 */
int
page_api_key_create(struct req *r, HDF *hdf)
{
	struct actor	 a = { r->sess->user_id, r->sess->email,
	    r->remote_addr, r->now };
	char		 key[APIKEY_LEN + 1];
	int		 rc;

	if (req_field(r, F_FORM_TOKEN) == NULL) {
		r->error_msg = "This form is out of date. Reload the page and "
		    "try again; nothing was changed.";
		return HTTP_BAD_REQUEST;
	}
	if ((rc = db_begin_write(r->db)) != DB_OK)
		return page_db_status(r, rc);
	if ((rc = form_replayed(r)) != 0) {
		db_rollback(r->db);
		return rc == 1 ? HTTP_SEE_OTHER : -1;
	}
	if ((rc = apikey_create(r->db, r->sess->org_id, &a, key,
	    sizeof(key))) != DB_OK ||
	    (rc = form_token_spend(r, DETAILS_URL "?done=key_created")) !=
	    DB_OK || (rc = db_commit(r->db)) != DB_OK) {
		db_rollback(r->db);
		sodium_memzero(key, sizeof(key));
		return page_db_status(r, rc);
	}
	rc = hdf_put(hdf, key, "ApiKeys.NewKey");
	sodium_memzero(key, sizeof(key));
	if (rc == -1)
		return -1;
	return page_details(r, hdf);
}

/*
 * POST /billing/api-keys/revoke (billing admin and above; CSRF checked)
 * Fields: F_API_KEY_ID, F_FORM_TOKEN.  Revokes the key, audited: 303 to
 * the details page; 404 if it is not the organization's.
 */
int
page_api_key_revoke(struct req *r, HDF *hdf)
{
	const struct field	*id = req_field(r, F_API_KEY_ID);
	struct actor		 a = { r->sess->user_id, r->sess->email,
	    r->remote_addr, r->now };
	const char		*loc = DETAILS_URL "?done=key_revoked";
	int			 rc;

	(void)hdf;
	if (req_field(r, F_FORM_TOKEN) == NULL) {
		r->error_msg = "This form is out of date. Reload the page and "
		    "try again; nothing was changed.";
		return HTTP_BAD_REQUEST;
	}
	if (id == NULL)
		return HTTP_NOT_FOUND;
	if ((rc = db_begin_write(r->db)) != DB_OK)
		return page_db_status(r, rc);
	if ((rc = form_replayed(r)) != 0) {
		db_rollback(r->db);
		return rc == 1 ? HTTP_SEE_OTHER : -1;
	}
	if ((rc = apikey_revoke(r->db, r->sess->org_id, &a, id->u.i)) ==
	    DB_NOTFOUND) {
		db_rollback(r->db);
		return HTTP_NOT_FOUND;
	}
	if (rc != DB_OK || (rc = form_token_spend(r, loc)) != DB_OK ||
	    (rc = db_commit(r->db)) != DB_OK) {
		db_rollback(r->db);
		return page_db_status(r, rc);
	}
	return render_redirect(r, loc);
}
