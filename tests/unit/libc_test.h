/* libc_test.h: shared by the libc_*_test.c host tests: our libc declared under cb_ names from the real
 * runtime/include headers, the controls of the libc_env shim (libc_test_env.c) and a small CHECK harness. */
#ifndef LIBC_TEST_H
#define LIBC_TEST_H

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Our declarations, names prefixed (errno.h and assert.h are left out: their macros clash with the host's). */
#define LIBC_RENAME_SAVE
#include "libc_rename.h"
#include "../../runtime/include/ctype.h"
#include "../../runtime/include/stdio.h"
#include "../../runtime/include/stdlib.h"
#include "../../runtime/include/string.h"
#include "../../runtime/include/strings.h"
#include "libc_unrename.h"
#undef LIBC_RENAME_SAVE
extern int cb_errno;
_Noreturn void cb___assert_fail(const char *expr, const char *file, unsigned int line, const char *func);

#include "../../runtime/libc/libc_env.h"

/* --- harness --- */
extern int test_failures;
void test_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int test_summary(const char *name); /* prints the verdict; returns the exit status */
#define CHECK(cond, ...)                                  \
    do {                                                  \
        if (!(cond))                                      \
            test_fail(__FILE__, __LINE__, __VA_ARGS__);   \
    } while (0)

/* --- the libc_env shim --- */
struct shim_pages {
    size_t outstanding_pages; /* handed out and not yet returned */
    size_t outstanding_runs;
    size_t allocs, frees;     /* calls that succeeded */
};
void shim_pages_get(struct shim_pages *out);
/* The next n page allocations succeed, later ones fail (n < 0: never fail, the default). */
void shim_pages_fail_after(long n);

/* libc_env_abort longjmps here when armed (then shim_abort_msg holds its message), else the test dies. */
extern jmp_buf *shim_abort_jmp;
extern const char *shim_abort_msg;

/* Runs stmt, which must end in libc_env_abort with a message containing want. */
#define EXPECT_ABORT(stmt, want)                                                                       \
    do {                                                                                               \
        jmp_buf jb_;                                                                                   \
        shim_abort_msg = NULL;                                                                         \
        shim_abort_jmp = &jb_;                                                                         \
        if (setjmp(jb_) == 0) {                                                                        \
            stmt;                                                                                      \
            shim_abort_jmp = NULL;                                                                     \
            test_fail(__FILE__, __LINE__, "%s did not abort (want \"%s\")", #stmt, want);              \
        } else {                                                                                       \
            shim_abort_jmp = NULL;                                                                     \
            CHECK(shim_abort_msg && strstr(shim_abort_msg, want), "%s aborted with \"%s\", want \"%s\"", \
                  #stmt, shim_abort_msg ? shim_abort_msg : "(none)", want);                            \
        }                                                                                              \
    } while (0)

/* Everything libc_env_write received since the last reset (NUL-terminated, capped at 64 KiB). */
extern char shim_out[65536];
extern size_t shim_out_len;
void shim_out_reset(void);

#endif
