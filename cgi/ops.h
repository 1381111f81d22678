/* ops.h: the operator's view: when the jobs last ran, what is queued. */
#ifndef RECKON_OPS_H
#define RECKON_OPS_H

#include <stdint.h>

struct db;

/* One job's last run, as "reckonctl status" prints it. */
struct ops_run {
	int64_t		 started_at;	/* 0: never ran */
	int64_t		 finished_at;	/* 0: running, or killed */
	char		 result[160];
};

struct ops_status {
	int		 schema;	/* the database's schema version */
	int64_t		 mail_waiting;	/* not sent yet */
	int64_t		 mail_due;	/* of those, due to be tried now */
	int64_t		 charges_open;	/* pending or declined, retried */
	int64_t		 charges_due;	/* of those, due to be tried now */
	struct ops_run	 renew, mail;
};

int	ops_job_start(struct db *, const char *, int64_t);
int	ops_job_end(struct db *, const char *, int64_t, const char *);
int	ops_status(struct db *, int64_t, struct ops_status *);

#endif
