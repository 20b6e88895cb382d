/* errmsg.h - the one-line error messages of the machine's builders.
 *
 * Parsers and loaders never print and never exit: they format one line
 * naming the culprit into a caller's buffer and return -1, so that main()
 * prints it once and tests can check it. */
#ifndef EMU_ERRMSG_H
#define EMU_ERRMSG_H

/* Format into err (errlen bytes, always terminated); returns -1. */
int errmsg(char *err, int errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
