/* check.h: the failure-counting assertions the host unit tests share (CHECK, EXPECT) and their closing verdict
 * (check_summary). Test scaffolding for one-file tests in tests/unit; never part of a product build. */
#ifndef CB_TEST_CHECK_H
#define CB_TEST_CHECK_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int check_failures, check_count;

/* Counts a check; when cond is false, prints "file:line: FAIL: " and the printf-style message to stderr. */
#define CHECK(cond, ...)                                                   \
	do {                                                                   \
		check_count++;                                                     \
		if (!(cond)) {                                                     \
			check_failures++;                                              \
			fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__);          \
			fprintf(stderr, __VA_ARGS__);                                  \
			fputc('\n', stderr);                                           \
		}                                                                  \
	} while (0)

/* rc and message as expected (err is a struct cb_err): want_rc 0 = success; otherwise err.msg must contain
 * want_msg (unless NULL) and err.code must equal rc. */
#define EXPECT(rc, err, want_rc, want_msg, what)                                                              \
	do {                                                                                                     \
		int rc_ = (rc);                                                                                      \
		const char *m_ = (want_msg);                                                                         \
		CHECK(rc_ == (want_rc), "%s: rc %d, want %d (%s)", (what), rc_, (want_rc), rc_ ? (err).msg : "");    \
		if (rc_ && m_)                                                                                       \
			CHECK(strstr((err).msg, m_) != NULL, "%s: message \"%s\" lacks \"%s\"", (what), (err).msg, m_); \
		if (rc_)                                                                                             \
			CHECK((err).code == rc_, "%s: err.code %d != rc %d", (what), (err).code, rc_);                   \
	} while (0)

/* A printable stand-in for a string that may be NULL. */
#define S(x) ((x) ? (x) : "(null)")

/* Equal strings, or both NULL. */
static inline bool streq(const char *a, const char *b) { return (!a && !b) || (a && b && strcmp(a, b) == 0); }

/* Prints the verdict ("name: all 12 checks passed" on stdout, "name: 2 of 12 checks FAILED" on stderr) and
 * returns main's exit status: 0 when nothing failed, else 1. */
static inline int check_summary(const char *name)
{
	if (check_failures) {
		fprintf(stderr, "%s: %d of %d checks FAILED\n", name, check_failures, check_count);
		return 1;
	}
	printf("%s: all %d checks passed\n", name, check_count);
	return 0;
}

#endif
