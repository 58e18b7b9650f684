/* Netlink port id -> owning process name, through /proc (see ct_progname.h). */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ct_progname.h"

#define NETLINK_NETFILTER_PROTO 12

/* Socket inode of the netfilter netlink socket bound to portid, or 0. */
static unsigned long socket_inode(uint32_t portid)
{
	FILE *fp = fopen("/proc/net/netlink", "r");
	char line[512];
	unsigned long inode = 0;

	if (fp == NULL)
		return 0;
	while (fgets(line, sizeof line, fp) != NULL) {
		int proto;
		unsigned pid;
		unsigned long ino;
		/* sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode */
		if (sscanf(line, "%*x %d %u %*x %*d %*d %*x %*d %*u %lu",
		    &proto, &pid, &ino) == 3 &&
		    proto == NETLINK_NETFILTER_PROTO && pid == portid) {
			inode = ino;
			break;
		}
	}
	fclose(fp);
	return inode;
}

static bool pid_has_socket(const char *pid, unsigned long inode)
{
	char path[64], link[64], want[40];
	struct dirent *e;
	DIR *d;
	bool found = false;

	snprintf(path, sizeof path, "/proc/%s/fd", pid);
	snprintf(want, sizeof want, "socket:[%lu]", inode);
	d = opendir(path);
	if (d == NULL)
		return false;
	while (!found && (e = readdir(d)) != NULL) {
		char fdpath[352];
		ssize_t n;
		if (e->d_name[0] == '.')
			continue;
		snprintf(fdpath, sizeof fdpath, "%s/%s", path, e->d_name);
		n = readlink(fdpath, link, sizeof link - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		found = strcmp(link, want) == 0;
	}
	closedir(d);
	return found;
}

static bool read_comm(const char *pid, char *name, size_t size)
{
	char path[64];
	FILE *fp;
	bool ok;

	snprintf(path, sizeof path, "/proc/%s/comm", pid);
	fp = fopen(path, "r");
	if (fp == NULL)
		return false;
	ok = fgets(name, (int)size, fp) != NULL;
	fclose(fp);
	if (ok)
		name[strcspn(name, "\n")] = '\0';
	return ok;
}

/* Most netlink users bind their first socket to their pid, so try that first. */
static bool find_owner(uint32_t portid, unsigned long inode, char *name, size_t size)
{
	char pid[16];
	struct dirent *e;
	DIR *d;
	bool found = false;

	snprintf(pid, sizeof pid, "%u", portid);
	if (pid_has_socket(pid, inode))
		return read_comm(pid, name, size);
	d = opendir("/proc");
	if (d == NULL)
		return false;
	while (!found && (e = readdir(d)) != NULL) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9' || strcmp(e->d_name, pid) == 0)
			continue;
		if (pid_has_socket(e->d_name, inode))
			found = read_comm(e->d_name, name, size);
	}
	closedir(d);
	return found;
}

const char *ct_progname(struct ct_progname_cache *c, uint32_t portid)
{
	unsigned long inode = socket_inode(portid);

	if (inode == 0)
		return NULL;
	if (c->inode != inode || c->portid != portid || !c->found) {
		c->portid = portid;
		c->inode = inode;
		c->found = find_owner(portid, inode, c->name, sizeof c->name);
	}
	return c->found ? c->name : NULL;
}
