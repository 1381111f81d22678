/* server.c: reckon.fcgi's supervisor (socket, prefork, respawn, SIGTERM) and the per-request path. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ClearSilver.h>
#include <fcgiapp.h>

#include "db.h"
#include "gateway.h"
#include "http.h"
#include "log.h"
#include "render.h"
#include "req.h"
#include "route.h"
#include "server.h"
#include "session.h"
#include "util.h"

#define MAX_WORKERS	64

static volatile sig_atomic_t	 stopping;
static volatile sig_atomic_t	 child_died;
static volatile sig_atomic_t	 hangup;

static char *
conf_dup(HDF *hdf, const char *name, const char *def)
{
	const char	*v = hdf_get_value(hdf, name, def);

	return v == NULL ? NULL : xstrdup(v);
}

/*
 * Read the HDF configuration file path into cfg (config_free).
 * Returns 0, or -1 (logged) if it cannot be read or a key is missing
 * or out of range.
 */
int
config_load(const char *path, struct config *cfg)
{
	HDF	*hdf = NULL;
	NEOERR	*err;
	long	 ncpu;
	int	 rc = -1;

	memset(cfg, 0, sizeof(*cfg));
	if ((err = hdf_init(&hdf)) != STATUS_OK)
		return render_nerr(__func__, err);
	if ((err = hdf_read_file(hdf, path)) != STATUS_OK) {
		render_nerr(path, err);
		goto out;
	}
	cfg->db = conf_dup(hdf, "Config.Db", NULL);
	cfg->socket = conf_dup(hdf, "Config.Socket", NULL);
	cfg->template_dir = conf_dup(hdf, "Config.TemplateDir", NULL);
	cfg->log_file = conf_dup(hdf, "Config.LogFile", NULL);
	if (cfg->log_file != NULL && cfg->log_file[0] == '\0') {
		free(cfg->log_file);
		cfg->log_file = NULL;
	}
	if (cfg->db == NULL || cfg->socket == NULL ||
	    cfg->template_dir == NULL) {
		log_warnx("%s: %s: Config.Db, Config.Socket and "
		    "Config.TemplateDir are required", __func__, path);
		goto out;
	}
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	/* 0 (or no key): as many as there are cores. */
	cfg->workers = hdf_get_int_value(hdf, "Config.Workers", 0);
	if (cfg->workers == 0)
		cfg->workers = ncpu < 1 ? 2 : ncpu > MAX_WORKERS ?
		    MAX_WORKERS : (int)ncpu;
	cfg->cookie_secure = hdf_get_int_value(hdf, "Config.CookieSecure", 0);
	cfg->session_idle = hdf_get_int_value(hdf, "Config.SessionIdle", 1800);
	cfg->api_rate = hdf_get_int_value(hdf, "Config.ApiRateLimit", 600);
	cfg->session_max = hdf_get_int_value(hdf, "Config.SessionMax", 43200);
	if (cfg->workers < 1 || cfg->workers > MAX_WORKERS ||
	    cfg->session_idle < 60 || cfg->session_max < cfg->session_idle) {
		log_warnx("%s: %s: Config.Workers must be 1..%d and "
		    "60 <= SessionIdle <= SessionMax", __func__, path,
		    MAX_WORKERS);
		goto out;
	}
	if (strcmp(hdf_get_value(hdf, "Config.VarEscapeMode", "html"),
	    "html") != 0) {
		log_warnx("%s: %s: Config.VarEscapeMode must be html",
		    __func__, path);
		goto out;
	}
	rc = 0;
out:
	hdf_destroy(&hdf);
	if (rc == -1)
		config_free(cfg);
	return rc;
}

/* Free what config_load allocated. */
void
config_free(struct config *cfg)
{
	free(cfg->db);
	free(cfg->socket);
	free(cfg->template_dir);
	free(cfg->log_file);
	memset(cfg, 0, sizeof(*cfg));
}

/*
 * The request's line in the log: method, route (its pattern, never the
 * path, which may hold what a person typed), status, milliseconds spent,
 * and the organization served (0: none).  No email, token or query.
 */
static void
log_request(const struct req *r, int status, const struct timespec *t0)
{
	static const struct { enum method m; const char *name; } names[] = {
		{ M_GET, "GET" }, { M_POST, "POST" }, { M_HEAD, "HEAD" },
		{ M_DELETE, "DELETE" },
	};
	struct timespec	 t1;
	const char	*method = "OTHER";
	size_t		 i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].m == r->method)
			method = names[i].name;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	log_info("request %s %s %d %.1f ms org %lld", method,
	    r->route != NULL ? r->route : "-", status,
	    (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e6,
	    (long long)(r->org_id != 0 ? r->org_id :
	    r->sess != NULL ? r->sess->org_id : 0));
}

/*
 * Serve one request: parse it (params through get(arg, name), body
 * borrowed), load the session, dispatch, render.  The whole response
 * (CGI headers and body) goes into out.  Nothing of the request
 * outlives the call.  Returns the status sent.
 */
int
server_handle(struct db *db, const struct config *cfg, int64_t now,
    server_getenv_fn get, void *arg, const char *body, size_t bodylen,
    struct buf *out)
{
	struct req	 r;
	struct field	 tok;
	struct timespec	 t0;
	HDF		*hdf = NULL;
	int		 status, rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	req_init(&r, db, cfg, now);
	req_parse(&r, get, arg, body, bodylen);
	if (render_hdf_new(cfg, &hdf) == -1) {
		status = -1;
		goto render;
	}
	if (r.parse_status != 0) {
		status = r.parse_status;
		goto render;
	}
	memset(&tok, 0, sizeof(tok));
	if ((tok.raw = req_cookie(&r, session_cookie(&r, COOKIE_SESSION))) != NULL &&
	    valid_token(&tok)) {
		rc = session_load(db, tok.raw, now, cfg->session_idle,
		    cfg->session_max, &r.sess);
		if (rc != DB_OK && rc != DB_NOTFOUND) {
			status = db_rc_unavailable(rc) ? HTTP_UNAVAILABLE :
			    -1;
			goto render;
		}
	}
	status = route_dispatch(&r, hdf);
	if (status == -1 && db_rc_unavailable(db->last_rc))
		status = HTTP_UNAVAILABLE;
render:
	if (hdf == NULL && render_hdf_new(cfg, &hdf) == -1)
		hdf = NULL;
	if (hdf == NULL) {
		status = HTTP_INTERNAL;
		buf_printf(out, "Status: 500 Internal Server Error\r\n"
		    "Content-Type: text/plain; charset=utf-8\r\n"
		    "Content-Length: 21\r\n\r\nSomething went wrong\n");
	} else
		status = render_response(&r, hdf, status, out);
	db->last_rc = DB_OK;
	log_request(&r, status, &t0);
	hdf_destroy(&hdf);
	req_free(&r);
	return status;
}

static const char *
fcgx_get(void *arg, const char *name)
{
	return FCGX_GetParam(name, ((FCGX_Request *)arg)->envp);
}

/* Read up to HTTP_MAX_BODY + 1 bytes of the body, to see if it is over. */
static size_t
read_body(FCGX_Request *fr, char *body)
{
	const char	*cl = FCGX_GetParam("CONTENT_LENGTH", fr->envp);
	long long	 want;
	int		 n;
	size_t		 got = 0;

	if (cl == NULL || (want = strtoll(cl, NULL, 10)) <= 0)
		return 0;
	if (want > HTTP_MAX_BODY)
		return HTTP_MAX_BODY + 1;
	while (got < (size_t)want &&
	    (n = FCGX_GetStr(body + got, (int)((size_t)want - got),
	    fr->in)) > 0)
		got += (size_t)n;
	body[got] = '\0';
	return got;
}

static void
write_response(FCGX_Stream *os, const char *method, const struct buf *out)
{
	size_t		 len = out->len;
	const char	*end;

	if (method != NULL && strcmp(method, "HEAD") == 0 &&
	    (end = strstr(out->p, "\r\n\r\n")) != NULL)
		len = (size_t)(end - out->p) + 4;
	FCGX_PutStr(out->p, (int)len, os);
}

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
	FCGX_ShutdownPending();
}

static void
on_hup(int sig)
{
	(void)sig;
	hangup = 1;
}

static void
on_chld(int sig)
{
	(void)sig;
	child_died = 1;
}

/* A worker: open the database after fork(), serve until told to stop. */
static void __attribute__((noreturn))
worker(const struct config *cfg, int sock)
{
	FCGX_Request		 fr;
	struct db		*db;
	struct buf		 out;
	struct sigaction	 sa;
	sigset_t		 none;
	char			*body, *sandbox;
	size_t			 len;

	log_init("reckon.fcgi worker");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;	/* no SA_RESTART: accept() returns */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = SIG_IGN;	/* the supervisor's to act on */
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);	/* the supervisor blocked them */
	if (db_open(cfg->db, 0, &db) != DB_OK)
		_exit(3);
	sandbox = xasprintf("%s.sandbox", cfg->db);
	if (gateway_init(sandbox) == -1)
		_exit(3);
	free(sandbox);
	if (FCGX_InitRequest(&fr, sock, 0) != 0)
		_exit(1);
	body = xmalloc(HTTP_MAX_BODY + 1);
	memset(&out, 0, sizeof(out));
	while (!stopping && FCGX_Accept_r(&fr) == 0) {
		len = read_body(&fr, body);
		out.len = 0;
		server_handle(db, cfg, (int64_t)time(NULL), fcgx_get, &fr,
		    len > 0 ? body : NULL, len, &out);
		write_response(fr.out, FCGX_GetParam("REQUEST_METHOD",
		    fr.envp), &out);
		FCGX_Finish_r(&fr);
	}
	buf_free(&out);
	free(body);
	FCGX_Free(&fr, 0);
	render_cleanup();
	gateway_close();
	db_close(db);
	_exit(0);
}

static pid_t
spawn(const struct config *cfg, int sock)
{
	pid_t	 pid;

	if ((pid = fork()) == -1) {
		log_warn("fork");
		return -1;
	}
	if (pid == 0)
		worker(cfg, sock);
	return pid;
}

/*
 * SIGHUP: reopen the log file (if there is one), then ask each worker to
 * finish its request and go; each is replaced at once, and the new ones
 * log to the new file.  (The configuration is not read again.)
 */
static void
reopen(const struct config *cfg, const pid_t *pids, int *retiring)
{
	int	 i;

	if (cfg->log_file != NULL && log_reopen(cfg->log_file) == -1)
		return;
	log_info("SIGHUP: %s; replacing the workers", cfg->log_file != NULL ?
	    "log file reopened" : "no Config.LogFile to reopen");
	for (i = 0; i < cfg->workers; i++)
		if (pids[i] > 0 && kill(pids[i], SIGTERM) == 0)
			retiring[i] = 1;
}

/*
 * The supervisor: open the socket (mode 0660), check the database once,
 * prefork cfg->workers workers, replace any that dies, on SIGHUP reopen
 * the log and replace the workers, and on SIGTERM or SIGINT let each
 * finish its request and exit.  Returns the exit code.
 */
int
server_run(const struct config *cfg)
{
	struct sigaction	 sa;
	sigset_t		 block, old;
	pid_t			 pids[MAX_WORKERS], pid;
	struct db		*db;
	int			 retiring[MAX_WORKERS] = { 0 };
	int			 sock, i, st, fast = 0;
	time_t			 last = 0;

	if (cfg->log_file != NULL && log_reopen(cfg->log_file) == -1)
		return 1;
	/* Refuse to start on a database this binary cannot serve. */
	if (db_open(cfg->db, 0, &db) != DB_OK)
		return 1;
	db_close(db);
	if (FCGX_Init() != 0) {
		log_warnx("FCGX_Init failed");
		return 1;
	}
	unlink(cfg->socket);
	if ((sock = FCGX_OpenSocket(cfg->socket, 128)) < 0) {
		log_warn("%s", cfg->socket);
		return 1;
	}
	if (chmod(cfg->socket, 0660) == -1) {
		log_warn("chmod %s", cfg->socket);
		return 1;
	}

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_chld;
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	for (i = 0; i < cfg->workers; i++)
		if ((pids[i] = spawn(cfg, sock)) == -1)
			return 1;
	log_info("listening on %s with %d workers", cfg->socket, cfg->workers);
	while (!stopping) {
		sigsuspend(&old);
		if (hangup) {
			hangup = 0;
			reopen(cfg, pids, retiring);
		}
		if (!child_died)
			continue;
		child_died = 0;
		while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
			for (i = 0; i < cfg->workers; i++)
				if (pids[i] == pid)
					break;
			if (i == cfg->workers)
				continue;
			pids[i] = 0;
			if (stopping)
				continue;
			if (retiring[i]) {
				retiring[i] = 0;
				pids[i] = spawn(cfg, sock);
				continue;
			}
			if (WIFEXITED(st) && WEXITSTATUS(st) == 3) {
				log_warnx("worker %ld cannot open the "
				    "database: stopping", (long)pid);
				stopping = 1;
				break;
			}
			log_warnx("worker %ld ended (%s %d): replacing it",
			    (long)pid, WIFSIGNALED(st) ? "signal" : "status",
			    WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
			/* Back off if workers die faster than once a second. */
			if (time(NULL) == last && ++fast > 10)
				sleep(1);
			else if (time(NULL) != last)
				fast = 0;
			last = time(NULL);
			pids[i] = spawn(cfg, sock);
		}
	}
	for (i = 0; i < cfg->workers; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (i = 0; i < cfg->workers; i++)
		if (pids[i] > 0)
			while (waitpid(pids[i], &st, 0) == -1 && errno == EINTR)
				;
	unlink(cfg->socket);
	log_info("stopped");
	return 0;
}

static const char *
env_get(void *arg, const char *name)
{
	(void)arg;
	return getenv(name);
}

/*
 * Serve one plain-CGI request from the environment and stdin to stdout
 * (for tests and debugging).  Returns the exit code.
 */
int
server_cgi(const struct config *cfg)
{
	struct db	*db;
	struct buf	 out;
	char		*body, *sandbox;
	const char	*cl = getenv("CONTENT_LENGTH");
	int		 rc;
	size_t		 len = 0, n;
	long long	 want = cl ? strtoll(cl, NULL, 10) : 0;

	if (db_open(cfg->db, 0, &db) != DB_OK)
		return 1;
	sandbox = xasprintf("%s.sandbox", cfg->db);
	rc = gateway_init(sandbox);
	free(sandbox);
	if (rc == -1) {
		db_close(db);
		return 1;
	}
	body = xmalloc(HTTP_MAX_BODY + 1);
	if (want > HTTP_MAX_BODY)
		len = HTTP_MAX_BODY + 1;
	else
		while (len < (size_t)(want > 0 ? want : 0) &&
		    (n = fread(body + len, 1, (size_t)want - len, stdin)) > 0)
			len += n;
	body[len > HTTP_MAX_BODY ? HTTP_MAX_BODY : len] = '\0';
	memset(&out, 0, sizeof(out));
	server_handle(db, cfg, (int64_t)time(NULL), env_get, NULL,
	    len > 0 ? body : NULL, len, &out);
	fwrite(out.p, 1, out.len, stdout);
	buf_free(&out);
	free(body);
	render_cleanup();
	gateway_close();
	db_close(db);
	return 0;
}
