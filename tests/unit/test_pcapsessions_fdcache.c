/* pcap-sessions' bounded open files: the bound, EMFILE, reopening, holes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../cmd/pcap-sessions/fdcache.h"
#include "tap.h"

#define FILES 200

static char dir[] = "/tmp/test_fdcache.XXXXXX";

static size_t file_size(const char *path, size_t *allocated)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return (size_t)-1;
	*allocated = (size_t)st.st_blocks * 512u;
	return (size_t)st.st_size;
}

/* Writes 3 rounds of 10 bytes to every file, in turn: each file is reopened each round. */
static int rounds(struct fdcache *c, struct fc_file **f)
{
	struct why w;
	char buf[10];

	for (int r = 0; r < 3; r++) {
		for (int i = 0; i < FILES; i++) {
			memset(buf, 'a' + r, sizeof buf);
			if (fc_write(c, f[i], (uint64_t)r * 10, buf, sizeof buf, &w) < 0) {
				printf("# %s\n", w.text);
				return -1;
			}
		}
	}
	return 0;
}

static void test_bound(size_t max_open)
{
	struct fdcache c;
	struct fc_file *f[FILES];
	struct why w;
	char name[32];
	int bad = 0;

	fdcache_init(&c, max_open);
	for (int i = 0; i < FILES; i++) {
		snprintf(name, sizeof name, "f%d.%zu", i, max_open);
		f[i] = fc_file_new(dir, name);
	}
	OK(rounds(&c, f) == 0, "max_open %zu: 600 writes to 200 files", max_open);
	OK(c.open <= max_open, "never more than %zu open (%zu)", max_open, c.open);
	OK(c.reopens > 0, "files were closed and reopened (%llu)", c.reopens);
	OK(fdcache_close_all(&c, &w) == 0, "all closed");
	for (int i = 0; i < FILES; i++) {
		char want[30], got[31] = { 0 };
		FILE *fp = fopen(f[i]->path, "rb");

		memset(want, 'a', 10);
		memset(want + 10, 'b', 10);
		memset(want + 20, 'c', 10);
		if (fp == NULL || fread(got, 1, 30, fp) != 30 || memcmp(got, want, 30) != 0)
			bad++;
		if (fp)
			fclose(fp);
		unlink(f[i]->path);
		fc_file_close(&c, f[i], &w);
	}
	IS_U(bad, 0, "every file holds its three rounds in order");
}

static void test_hole(void)
{
	struct fdcache c;
	struct fc_file *f;
	struct why w;

	fdcache_init(&c, 4);
	f = fc_file_new(dir, "hole");
	OK(fc_write(&c, f, 0, "abc", 3, &w) == 0, "3 bytes at 0");
	OK(fc_write(&c, f, 1u << 20, "xyz", 3, &w) == 0, "3 bytes at 1 MiB");
	OK(fc_extend(&c, f, 2u << 20, &w) == 0, "extended to 2 MiB");
	OK(fc_file_close(&c, f, &w) == 0, "closed");
	{
		char path[64];
		size_t alloc = 0;

		snprintf(path, sizeof path, "%s/hole", dir);
		IS_U(file_size(path, &alloc), 2u << 20, "the file has the stream's length, holes "
		    "included");
		OK(alloc < (256u << 10), "the holes are holes, not zeros written (%zu bytes on "
		    "disk)", alloc);
		unlink(path);
	}
}

int main(void)
{
	struct rlimit rl;

	if (mkdtemp(dir) == NULL)
		return 2;
	test_bound(16);
	/* a bound above what the process may open: EMFILE closes files instead of failing */
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = 24;
	setrlimit(RLIMIT_NOFILE, &rl);
	test_bound(1000);
	test_hole();
	rmdir(dir);
	return tap_done();
}
