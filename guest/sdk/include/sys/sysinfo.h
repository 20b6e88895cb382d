/* sys/sysinfo.h - overall system statistics (Linux struct sysinfo, i386). */
#ifndef _SYS_SYSINFO_H
#define _SYS_SYSINFO_H
struct sysinfo {
	long uptime;
	unsigned long loads[3];
	unsigned long totalram;
	unsigned long freeram;
	unsigned long sharedram;
	unsigned long bufferram;
	unsigned long totalswap;
	unsigned long freeswap;
	unsigned short procs;
	unsigned short pad;
	unsigned long totalhigh;
	unsigned long freehigh;
	unsigned int mem_unit;		/* sizes above are in units of mem_unit bytes */
	char __reserved[8];
};
int sysinfo(struct sysinfo *info);
#endif
