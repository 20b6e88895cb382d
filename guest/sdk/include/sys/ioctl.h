/* sys/ioctl.h - device control. */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H
#define TCGETS		0x5401
#define TIOCGWINSZ	0x5413
int ioctl(int fd, unsigned long req, ...);
#endif
