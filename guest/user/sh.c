/* sh - a minimal shell for the console.
 *
 *   sh               read commands from standard input, one per line
 *   sh -c 'a; b'     run the given command list and exit
 *   sh FILE          run the commands in FILE
 *
 * A line is a ';'-separated list of simple commands; words are split at
 * blanks, and '...' or "..." quote (no variables, globbing, pipes or
 * redirections).  Builtins: exit [N], echo [-n] ARGS, help.  Anything else
 * is run with fork + execvp + waitpid ($PATH, default /bin).  The exit
 * status is the last command's (128 + N when signal N ended it).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ARGS 32
#define MAX_LINE 1024

static int last_status;

/* Split cmd into words in place; returns the word count (-1 on error). */
static int split_words(char *cmd, char **argv)
{
	int argc = 0;
	char *r = cmd, *w = cmd;
	for (;;) {
		while (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r')
			r++;
		if (!*r)
			break;
		if (argc == MAX_ARGS - 1) {
			fprintf(stderr, "sh: too many arguments\n");
			return -1;
		}
		argv[argc++] = w;
		while (*r && *r != ' ' && *r != '\t' && *r != '\n' && *r != '\r') {
			if (*r == '\'' || *r == '"') {
				char q = *r++;
				while (*r && *r != q)
					*w++ = *r++;
				if (!*r) {
					fprintf(stderr, "sh: unterminated quote\n");
					return -1;
				}
				r++;
			} else {
				*w++ = *r++;
			}
		}
		if (*r)
			r++;
		*w++ = 0;
	}
	argv[argc] = NULL;
	return argc;
}

static int run_external(char **argv)
{
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "sh: fork: %s\n", strerror(errno));
		return 126;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "sh: %s: %s\n", argv[0], errno == ENOENT ? "not found" : strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 126;
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "%s\n", strsignal(WTERMSIG(status)));
		return 128 + WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}

/* Run one simple command (already split at ';'). */
static void run_command(char *cmd)
{
	char *argv[MAX_ARGS];
	int argc = split_words(cmd, argv);
	if (argc < 0) {
		last_status = 2;
		return;
	}
	if (argc == 0)
		return;
	if (!strcmp(argv[0], "exit")) {
		exit(argc > 1 ? atoi(argv[1]) : last_status);
	} else if (!strcmp(argv[0], "echo")) {
		int i = 1, nl = 1;
		if (i < argc && !strcmp(argv[i], "-n")) {
			nl = 0;
			i++;
		}
		for (int first = i; i < argc; i++)
			printf("%s%s", i > first ? " " : "", argv[i]);
		if (nl)
			putchar('\n');
		last_status = 0;
	} else if (!strcmp(argv[0], "help")) {
		printf("builtins: exit [N], echo [-n] ARGS, help\n"
		       "programs: cat echo ps free kill memhog overcommit brkdemo mmapdemo\n"
		       "          forkcow segv stackgrow sysstress init sh\n");
		last_status = 0;
	} else {
		last_status = run_external(argv);
	}
}

/* Run a line: split at ';' outside quotes. */
static void run_line(char *line)
{
	char *start = line;
	char quote = 0;
	for (char *p = line;; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			else if (!*p)
				break;
			continue;
		}
		if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == ';' || *p == '#' || !*p) {
			char c = *p;
			*p = 0;
			run_command(start);
			if (c != ';')
				return;
			start = p + 1;
		}
	}
	run_command(start);	/* unterminated quote: let split_words report it */
}

int main(int argc, char **argv)
{
	char line[MAX_LINE];
	FILE *in = stdin;

	if (argc > 2 && !strcmp(argv[1], "-c")) {
		strncpy(line, argv[2], sizeof(line) - 1);
		line[sizeof(line) - 1] = 0;
		run_line(line);
		return last_status;
	}
	if (argc > 1) {
		in = fopen(argv[1], "r");
		if (!in) {
			fprintf(stderr, "sh: %s: %s\n", argv[1], strerror(errno));
			return 127;
		}
	}
	/* Prompt on a terminal.  A kernel without terminal ioctls (ENOSYS,
	 * EINVAL rather than ENOTTY) is taken to be a console too. */
	int interactive = in == stdin && (isatty(0) || (errno != ENOTTY && errno != EBADF));
	for (;;) {
		if (interactive) {
			printf("$ ");
			fflush(stdout);
		}
		if (!fgets(line, sizeof(line), in))
			break;
		run_line(line);
	}
	return last_status;
}
