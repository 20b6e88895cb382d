/* cowread - the kernel writes into a copy-on-write page.
 *
 * After fork, a buffer is shared read-only between parent and child. The
 * child fills its copy with read(2) from a file: the kernel's copy_to_user
 * must break copy-on-write first. On a 486 or later the kernel's write
 * faults (CR0.WP); a 386 ignores WP in ring 0, so the kernel has to check
 * by hand, else the write lands in the parent's frame too.
 * Prints one line per check; exit status 0 when the parent's copy is intact.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char buf[3 * 4096] __attribute__((aligned(4096)));

int main(int argc, char **argv)
{
	const char *file = argc > 1 ? argv[1] : "/bin/cowread";
	memset(buf, 'P', sizeof(buf));
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 2;
	}
	if (pid == 0) {
		int fd = open(file, O_RDONLY);
		if (fd < 0) {
			perror(file);
			_exit(3);
		}
		ssize_t n = read(fd, buf + 100, sizeof(buf) - 200);
		_exit(n > 4 && !memcmp(buf + 100, "\177ELF", 4) ? 0 : 4);
	}
	int status;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
		printf("cowread: child failed\n");
		return 2;
	}
	printf("cowread: child read the file into its copy: %s\n",
	       WEXITSTATUS(status) == 0 ? "yes" : "no");
	int intact = 1;
	for (size_t i = 0; i < sizeof(buf); i++)
		intact &= buf[i] == 'P';
	printf("cowread: parent's copy intact: %s\n", intact ? "yes" : "no");
	return intact && WEXITSTATUS(status) == 0 ? 0 : 1;
}
