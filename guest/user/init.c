/* init - the first user process.
 *
 *   init             run the demo tour: each demo in turn (fork, execve,
 *                    waitpid) with a banner before and a status line after
 *   init PROG ARGS   run one program the same way
 *
 * Programs are looked up in $PATH (default /bin).  init's exit status is
 * the last program's: its exit code, or 128 + signal if a signal ended it.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The tour, in the order the story is told: heap and mappings first, then
 * sharing, overcommit, a wild pointer, and last the OOM killer. */
static const char *const tour[][4] = {
	{ "brkdemo" },
	{ "mmapdemo" },
	{ "forkcow" },
	{ "stackgrow", "64" },
	{ "overcommit", "-n" },
	{ "segv", "null" },
	{ "memhog" },
};

/* Run argv[0] as a child and wait for it; returns the shell-style status. */
static int run(char *const argv[])
{
	pid_t pid = fork();
	if (pid < 0) {
		printf("init: fork: %s\n", strerror(errno));
		return 127;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		dprintf(2, "init: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	/* Wait for any child, not just this one: as pid 1 we inherit every
	 * orphan, and reaping them here keeps zombies from piling up. */
	int status;
	for (;;) {
		pid_t w = waitpid(-1, &status, 0);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			printf("init: waitpid: %s\n", strerror(errno));
			return 127;
		}
	}
	if (WIFSIGNALED(status)) {
		printf("--- %s: killed by signal %d (%s)\n", argv[0], WTERMSIG(status),
		       strsignal(WTERMSIG(status)));
		return 128 + WTERMSIG(status);
	}
	printf("--- %s: exited with status %d\n", argv[0], WEXITSTATUS(status));
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return run(argv + 1);

	int n = (int)(sizeof(tour) / sizeof(tour[0])), status = 0;
	printf("init: pid %d, demo tour of %d programs\n", getpid(), n);
	for (int i = 0; i < n; i++) {
		char *args[5] = { 0 };
		printf("\n=== [%d/%d]", i + 1, n);
		for (int k = 0; k < 4 && tour[i][k]; k++) {
			args[k] = (char *)tour[i][k];
			printf(" %s", args[k]);
		}
		printf(" ===\n");
		status = run(args);
	}
	printf("\ninit: tour finished, last status %d\n", status);
	return status;
}
