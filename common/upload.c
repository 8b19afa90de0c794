/*
 * upload: TH_UPLOAD_CMD turns a local file into a public URL, since
 * Threads fetches media from URLs and has no upload endpoint. It is
 * somebody's shell command, so it runs contained: stdin is /dev/null
 * (a --batch goes on reading its records), no secret is in its
 * environment, no descriptor of th's is open in it, and it has the
 * deadline of a request, after which it and its children are killed.
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "msg.h"
#include "post.h"
#include "upload.h"

/* The environment the uploader gets: th's own minus its secrets (a
 * token, the app secret, where a token file is). malloc'd array of
 * borrowed strings. */
static char **
uploadenv(void)
{
	static const char *const secret[] = { "TH_ACCESS_TOKEN=",
	    "TH_CLIENT_SECRET=", "TH_TOKEN_FILE=", "SANDBOX_TOKEN=", NULL };
	extern char **environ;
	const char *const *sp;
	char **env, **e;
	size_t n = 0;

	for (e = environ; *e != NULL; e++)
		n++;
	if ((env = calloc(n + 1, sizeof(*env))) == NULL)
		th_die(TH_EIO, "out of memory");
	for (n = 0, e = environ; *e != NULL; e++) {
		for (sp = secret; *sp != NULL; sp++)
			if (strncmp(*e, *sp, strlen(*sp)) == 0)
				break;
		if (*sp == NULL)
			env[n++] = *e;
	}
	return env;
}

int
th_upload(const char *command, const char *path, long timeout, char **url,
    struct th_fail *f)
{
	char *cmd, buf[4096], junk[512], **env;
	char *argv[] = { "sh", "-c", NULL, "th-upload", NULL, NULL };
	long long deadline = th_http_now() + timeout * 1000LL, left;
	struct pollfd pfd;
	size_t len = 0;
	ssize_t n;
	int p[2], null, status, killed = 0;
	pid_t pid;

	*url = NULL;
	if (asprintf(&cmd, "%s \"$1\"", command) == -1)
		th_die(TH_EIO, "out of memory");
	argv[2] = cmd;
	argv[4] = (char *)path;
	env = uploadenv();
	fflush(NULL);
	p[0] = p[1] = -1;
	if ((null = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1 ||
	    pipe2(p, O_CLOEXEC) == -1 || (pid = fork()) == -1) {
		int e = errno;
		if (null != -1)
			close(null);
		if (p[0] != -1) {
			close(p[0]);
			close(p[1]);
		}
		free(cmd);
		free(env);
		return th_fail(f, TH_EIO, "cannot run the uploader: %s", strerror(e));
	}
	if (pid == 0) {
		/* only async-signal-safe calls from here on */
		setpgid(0, 0);
		if (dup2(null, STDIN_FILENO) == -1 ||
		    dup2(p[1], STDOUT_FILENO) == -1)
			_exit(127);
		if (close_range(3, ~0U, 0) == -1)
			for (int fd = 3; fd < 4096; fd++)
				close(fd);
		execve("/bin/sh", argv, env);
		_exit(127);
	}
	setpgid(pid, pid);	/* both sides: no race with the kill below */
	free(cmd);
	free(env);
	close(null);
	close(p[1]);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	for (;;) {
		if ((left = deadline - th_http_now()) <= 0) {
			kill(-pid, SIGKILL);
			killed = 1;
			break;
		}
		if (poll(&pfd, 1, left > 1000 ? 1000 : (int)left) <= 0)
			continue;
		if (len < sizeof(buf) - 1)
			n = read(p[0], buf + len, sizeof(buf) - 1 - len);
		else
			n = read(p[0], junk, sizeof(junk));	/* drain */
		if (n == 0 || (n == -1 && errno != EINTR && errno != EAGAIN))
			break;
		if (n > 0 && len < sizeof(buf) - 1)
			len += (size_t)n;
	}
	close(p[0]);
	buf[len] = '\0';
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (killed)
		return th_fail(f, TH_EUNAVAIL, "uploading %s: the uploader did not "
		    "finish within %ld s (the request timeout): killed", path,
		    timeout);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return th_fail(f, TH_EFAIL, "uploading %s: the uploader failed (%s %d)",
		    path, WIFEXITED(status) ? "exit" : "signal",
		    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	buf[strcspn(buf, "\r\n")] = '\0';
	if (!th_post_isurl(buf) || strpbrk(buf, " \t") != NULL)
		return th_fail(f, TH_EFAIL, "uploading %s: the uploader printed no URL", path);
	*url = th_strdup(buf);
	return 0;
}
