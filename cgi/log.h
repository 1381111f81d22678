/* log.h: logging to stderr, where the supervisor or nginx collects it. */
#ifndef RECKON_LOG_H
#define RECKON_LOG_H

#define PRINTF_LIKE(n, m) __attribute__((format(printf, n, m)))

void	log_init(const char *tag);
int	log_reopen(const char *path);
void	log_warn(const char *fmt, ...) PRINTF_LIKE(1, 2);
void	log_warnx(const char *fmt, ...) PRINTF_LIKE(1, 2);
void	log_info(const char *fmt, ...) PRINTF_LIKE(1, 2);
void	fatal(const char *fmt, ...) PRINTF_LIKE(1, 2) __attribute__((noreturn));
void	fatalx(const char *fmt, ...) PRINTF_LIKE(1, 2) __attribute__((noreturn));

#endif
