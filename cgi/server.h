/* server.h: the runtime configuration, the supervisor and the workers of reckon.fcgi. */
#ifndef RECKON_SERVER_H
#define RECKON_SERVER_H

#include <stdint.h>

#include "util.h"

struct db;

struct config {
	char	*db;		/* Config.Db: the SQLite file */
	char	*socket;	/* Config.Socket: the FastCGI unix socket */
	char	*template_dir;	/* Config.TemplateDir */
	char	*log_file;	/* Config.LogFile: NULL, standard error */
	int	 workers;	/* Config.Workers: default, the number of cores */
	int	 cookie_secure;	/* Config.CookieSecure: Secure even without HTTPS */
	int64_t	 session_idle;	/* Config.SessionIdle: seconds, default 1800 */
	int64_t	 session_max;	/* Config.SessionMax: seconds, default 43200 */
	int64_t	 api_rate;	/* Config.ApiRateLimit: calls a key may make
				   a minute, default 600 */
};

typedef const char *(*server_getenv_fn)(void *, const char *);

int	config_load(const char *, struct config *);
void	config_free(struct config *);
int	server_handle(struct db *, const struct config *, int64_t,
	    server_getenv_fn, void *, const char *, size_t, struct buf *);
int	server_run(const struct config *);
int	server_cgi(const struct config *);

#endif
