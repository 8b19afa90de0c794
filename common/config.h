/* config: where th keeps its files and how it reaches the API. */
#ifndef TH_CONFIG_H
#define TH_CONFIG_H
#include <limits.h>

struct th_config {
	char	 api_base[256];	/* scheme://host[:port], no path */
	char	 api_host[256];	/* host part of api_base */
	int	 loopback;	/* api host is 127.0.0.0/8, ::1 or localhost */
	char	 config_dir[PATH_MAX];	/* $XDG_CONFIG_HOME/th */
	char	 data_dir[PATH_MAX];	/* $XDG_DATA_HOME/th */
	char	 state_dir[PATH_MAX];	/* $XDG_STATE_HOME/th */
	char	 account[65];	/* -a, TH_ACCOUNT, or config "account" */
	int	 account_opt;	/* -a given: it wins over TH_ACCESS_TOKEN */
	char	 token_file[PATH_MAX];	/* --token-file or TH_TOKEN_FILE */
	int	 token_file_opt;	/* --token-file given */
	long	 timeout;	/* overall deadline of one request, seconds */
	long	 connect_timeout;	/* seconds */
	long	 low_speed_time;	/* abort below 1 byte/s for this long */
	long	 retries;	/* extra attempts for reads */
	long	 backoff_ms;	/* first retry delay; doubles, capped */
	long	 max_body;	/* response body cap, bytes */
	char	 upload_cmd[1024];	/* th-post: local media -> public URL */
	char	 client_id[32];	/* the Threads app id: TH_CLIENT_ID, config */
	char	 client_secret[256];	/* its secret: TH_CLIENT_SECRET, or a
					 * private config file; registered */
	char	 hook_verify_token[256];	/* th-hook: the webhook verify
					 * token, TH_HOOK_VERIFY_TOKEN or a
					 * private config file; registered */
	char	 hook_spool[PATH_MAX];	/* th-hook: TH_HOOK_SPOOL, config */
	char	 hook_exec[1024];	/* th-hook: TH_HOOK_EXEC, config */
	char	 fedi_connect[64];	/* TH_FEDI_CONNECT: loopback HOST:PORT
					 * that every fediverse read goes to, in
					 * plain http (the test sandbox) */
	char	 test_ca[PATH_MAX];	/* TH_TEST_CA: a CA bundle trusted
					 * instead of the system's; loopback
					 * API only (the test's TLS proxy) */
};

extern struct th_config th_cfg;

/*
 * Fill th_cfg from the defaults, $XDG_CONFIG_HOME/th/config and the
 * environment, in that order. Returns 0, or 78 after printing why.
 */
int th_config_load(void);
/* Check and set the API root (TH_API_BASE syntax). Returns 0 or 78. */
int th_config_set_base(const char *base);
#endif
