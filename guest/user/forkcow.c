/* forkcow - fork and copy-on-write.
 *
 * The parent fills a heap buffer, a global array and a stack array with
 * 'P', forks, and the child overwrites all three with 'C' and checks its
 * own view.  After the child exits the parent checks that its copies
 * still read 'P': the child's writes went to private copies of the pages.
 * Exit 0 when both checks hold.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define HEAP_BYTES	(64 * 1024)
#define DATA_BYTES	(16 * 1024)

static char data_area[DATA_BYTES] = { 'P' };

static int all(const char *p, size_t n, char v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

int main(void)
{
	char stack_area[8192];
	char *heap = malloc(HEAP_BYTES);
	if (!heap) {
		perror("forkcow: malloc");
		return 1;
	}
	memset(heap, 'P', HEAP_BYTES);
	memset(data_area, 'P', DATA_BYTES);
	memset(stack_area, 'P', sizeof(stack_area));
	printf("forkcow: parent %d filled heap %d KiB, data %d KiB, stack %d KiB with 'P'\n",
	       getpid(), HEAP_BYTES / 1024, DATA_BYTES / 1024, (int)sizeof(stack_area) / 1024);

	pid_t pid = fork();
	if (pid < 0) {
		perror("forkcow: fork");
		return 1;
	}
	if (pid == 0) {
		memset(heap, 'C', HEAP_BYTES);
		memset(data_area, 'C', DATA_BYTES);
		memset(stack_area, 'C', sizeof(stack_area));
		int ok = all(heap, HEAP_BYTES, 'C') && all(data_area, DATA_BYTES, 'C') &&
			 all(stack_area, sizeof(stack_area), 'C');
		printf("forkcow: child wrote 'C' everywhere, child sees its writes: %s\n", ok ? "yes" : "no");
		exit(ok ? 0 : 1);
	}
	int status;
	if (waitpid(pid, &status, 0) != pid) {
		perror("forkcow: waitpid");
		return 1;
	}
	int child_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	int heap_ok = all(heap, HEAP_BYTES, 'P'), data_ok = all(data_area, DATA_BYTES, 'P'),
	    stack_ok = all(stack_area, sizeof(stack_area), 'P');
	printf("forkcow: parent copy unchanged: heap %s, data %s, stack %s\n", heap_ok ? "yes" : "no",
	       data_ok ? "yes" : "no", stack_ok ? "yes" : "no");
	int ok = child_ok && heap_ok && data_ok && stack_ok;
	printf("forkcow: %s\n", ok ? "copy-on-write ok" : "FAILED");
	free(heap);
	return ok ? 0 : 1;
}
