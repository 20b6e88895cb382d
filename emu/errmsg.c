/* errmsg.c - see errmsg.h. */
#include <stdarg.h>
#include <stdio.h>
#include "errmsg.h"

int errmsg(char *err, int errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, (size_t)errlen, fmt, ap);
	va_end(ap);
	return -1;
}
