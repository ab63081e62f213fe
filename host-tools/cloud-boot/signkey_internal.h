/* signkey_internal.h: what signkey*.c share (the in-memory key-file parser, scrypt limits, the P-256 key check,
 * password sources). Not API: commands include signkey.h; tests and the fuzzer use signkey_parse_mem. */
#ifndef CLOUD_BOOT_SIGNKEY_INTERNAL_H
#define CLOUD_BOOT_SIGNKEY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "signkey.h"

/* scrypt parameters accepted in an encrypted key: N = 2^10 .. 2^20, r*p <= 64, 128*r*N bytes of memory <= 1 GiB. */
#define SIGNKEY_LOG2N_MIN 10
#define SIGNKEY_LOG2N_MAX 20
#define SIGNKEY_RP_MAX 64
#define SIGNKEY_SCRYPT_MEM_MAX (1ull << 30)
/* What signkey_generate writes (cosign's own choice). */
#define SIGNKEY_GEN_LOG2N 16
#define SIGNKEY_GEN_R 8
#define SIGNKEY_GEN_P 1
#define SIGNKEY_SALT_LEN 32
#define SIGNKEY_NONCE_LEN 24 /* crypto_secretbox_NONCEBYTES */
#define SIGNKEY_PASSWORD_MAX 1024

#define SIGNKEY_LABEL_SIGSTORE "ENCRYPTED SIGSTORE PRIVATE KEY"
#define SIGNKEY_LABEL_COSIGN "ENCRYPTED COSIGN PRIVATE KEY"

/* Called only once the key turns out to be encrypted: sets *pw to the password, valid until the parse returns. */
typedef int (*signkey_pass_fn)(void *ctx, const char **pw, struct cb_err *e);

/* Parses a key file's text (signkey_load's formats). max_log2n caps scrypt's N below SIGNKEY_LOG2N_MAX (the
 * fuzzer keeps it small). Messages do not name the file. */
int signkey_parse_mem(const char *text, size_t len, signkey_pass_fn pass, void *ctx, unsigned max_log2n,
		      struct cb_signkey *k, struct cb_err *e);
/* Sets k from the scalar d (big-endian): CB_EINVAL unless 1 <= d < n; k->pub = d·G. */
int signkey_from_scalar(const uint8_t d[32], struct cb_signkey *k, struct cb_err *e);
/* scrypt(pw, salt, N, r, p) -> 32 bytes (libsodium); CB_ENOMEM when it cannot get its memory. */
int signkey_scrypt(const char *pw, const uint8_t *salt, size_t salt_len, uint64_t n, uint32_t r, uint32_t p,
		   uint8_t key[32], struct cb_err *e);

/* The password when none was given: $COSIGN_PASSWORD if set (then *pw points into the environment), else read
 * from /dev/tty without echo into buf (twice when confirm, the answers must match), else CB_ENOENT telling to set
 * COSIGN_PASSWORD. `why` completes the prompt ("Enter password for private key"). */
int signkey_password(const char *why, bool confirm, char buf[SIGNKEY_PASSWORD_MAX + 1], const char **pw,
		     struct cb_err *e);

#endif
