/* tls_errors.c: names of BearSSL's error codes and of TLS alerts, for one-line error messages.
 * Tables only; which message a failure gets is decided in tls.c. */
#include "tls_internal.h"

struct name {
	int code;
	const char *name;
};

static const struct name br_errors[] = {
	{ BR_ERR_BAD_PARAM, "BAD_PARAM" },
	{ BR_ERR_BAD_STATE, "BAD_STATE" },
	{ BR_ERR_UNSUPPORTED_VERSION, "UNSUPPORTED_VERSION" },
	{ BR_ERR_BAD_VERSION, "BAD_VERSION" },
	{ BR_ERR_BAD_LENGTH, "BAD_LENGTH" },
	{ BR_ERR_TOO_LARGE, "TOO_LARGE" },
	{ BR_ERR_BAD_MAC, "BAD_MAC" },
	{ BR_ERR_NO_RANDOM, "NO_RANDOM" },
	{ BR_ERR_UNKNOWN_TYPE, "UNKNOWN_TYPE" },
	{ BR_ERR_UNEXPECTED, "UNEXPECTED" },
	{ BR_ERR_BAD_CCS, "BAD_CCS" },
	{ BR_ERR_BAD_ALERT, "BAD_ALERT" },
	{ BR_ERR_BAD_HANDSHAKE, "BAD_HANDSHAKE" },
	{ BR_ERR_OVERSIZED_ID, "OVERSIZED_ID" },
	{ BR_ERR_BAD_CIPHER_SUITE, "BAD_CIPHER_SUITE" },
	{ BR_ERR_BAD_COMPRESSION, "BAD_COMPRESSION" },
	{ BR_ERR_BAD_FRAGLEN, "BAD_FRAGLEN" },
	{ BR_ERR_BAD_SECRENEG, "BAD_SECRENEG" },
	{ BR_ERR_EXTRA_EXTENSION, "EXTRA_EXTENSION" },
	{ BR_ERR_BAD_SNI, "BAD_SNI" },
	{ BR_ERR_BAD_HELLO_DONE, "BAD_HELLO_DONE" },
	{ BR_ERR_LIMIT_EXCEEDED, "LIMIT_EXCEEDED" },
	{ BR_ERR_BAD_FINISHED, "BAD_FINISHED" },
	{ BR_ERR_RESUME_MISMATCH, "RESUME_MISMATCH" },
	{ BR_ERR_INVALID_ALGORITHM, "INVALID_ALGORITHM" },
	{ BR_ERR_BAD_SIGNATURE, "BAD_SIGNATURE" },
	{ BR_ERR_WRONG_KEY_USAGE, "WRONG_KEY_USAGE" },
	{ BR_ERR_NO_CLIENT_AUTH, "NO_CLIENT_AUTH" },
	{ BR_ERR_IO, "IO" },
	{ BR_ERR_X509_INVALID_VALUE, "X509_INVALID_VALUE" },
	{ BR_ERR_X509_TRUNCATED, "X509_TRUNCATED" },
	{ BR_ERR_X509_EMPTY_CHAIN, "X509_EMPTY_CHAIN" },
	{ BR_ERR_X509_INNER_TRUNC, "X509_INNER_TRUNC" },
	{ BR_ERR_X509_BAD_TAG_CLASS, "X509_BAD_TAG_CLASS" },
	{ BR_ERR_X509_BAD_TAG_VALUE, "X509_BAD_TAG_VALUE" },
	{ BR_ERR_X509_INDEFINITE_LENGTH, "X509_INDEFINITE_LENGTH" },
	{ BR_ERR_X509_EXTRA_ELEMENT, "X509_EXTRA_ELEMENT" },
	{ BR_ERR_X509_UNEXPECTED, "X509_UNEXPECTED" },
	{ BR_ERR_X509_NOT_CONSTRUCTED, "X509_NOT_CONSTRUCTED" },
	{ BR_ERR_X509_NOT_PRIMITIVE, "X509_NOT_PRIMITIVE" },
	{ BR_ERR_X509_PARTIAL_BYTE, "X509_PARTIAL_BYTE" },
	{ BR_ERR_X509_BAD_BOOLEAN, "X509_BAD_BOOLEAN" },
	{ BR_ERR_X509_OVERFLOW, "X509_OVERFLOW" },
	{ BR_ERR_X509_BAD_DN, "X509_BAD_DN" },
	{ BR_ERR_X509_BAD_TIME, "X509_BAD_TIME" },
	{ BR_ERR_X509_UNSUPPORTED, "X509_UNSUPPORTED" },
	{ BR_ERR_X509_LIMIT_EXCEEDED, "X509_LIMIT_EXCEEDED" },
	{ BR_ERR_X509_WRONG_KEY_TYPE, "X509_WRONG_KEY_TYPE" },
	{ BR_ERR_X509_BAD_SIGNATURE, "X509_BAD_SIGNATURE" },
	{ BR_ERR_X509_TIME_UNKNOWN, "X509_TIME_UNKNOWN" },
	{ BR_ERR_X509_EXPIRED, "X509_EXPIRED" },
	{ BR_ERR_X509_DN_MISMATCH, "X509_DN_MISMATCH" },
	{ BR_ERR_X509_BAD_SERVER_NAME, "X509_BAD_SERVER_NAME" },
	{ BR_ERR_X509_CRITICAL_EXTENSION, "X509_CRITICAL_EXTENSION" },
	{ BR_ERR_X509_NOT_CA, "X509_NOT_CA" },
	{ BR_ERR_X509_FORBIDDEN_KEY_USAGE, "X509_FORBIDDEN_KEY_USAGE" },
	{ BR_ERR_X509_WEAK_PUBLIC_KEY, "X509_WEAK_PUBLIC_KEY" },
	{ BR_ERR_X509_NOT_TRUSTED, "X509_NOT_TRUSTED" },
};

/* RFC 5246 section 7.2 plus later registrations a TLS 1.2 server may send. */
static const struct name alerts[] = {
	{ 0, "close_notify" },
	{ 10, "unexpected_message" },
	{ 20, "bad_record_mac" },
	{ 21, "decryption_failed" },
	{ 22, "record_overflow" },
	{ 30, "decompression_failure" },
	{ 40, "handshake_failure" },
	{ 41, "no_certificate" },
	{ 42, "bad_certificate" },
	{ 43, "unsupported_certificate" },
	{ 44, "certificate_revoked" },
	{ 45, "certificate_expired" },
	{ 46, "certificate_unknown" },
	{ 47, "illegal_parameter" },
	{ 48, "unknown_ca" },
	{ 49, "access_denied" },
	{ 50, "decode_error" },
	{ 51, "decrypt_error" },
	{ 60, "export_restriction" },
	{ 70, "protocol_version" },
	{ 71, "insufficient_security" },
	{ 80, "internal_error" },
	{ 86, "inappropriate_fallback" },
	{ 90, "user_canceled" },
	{ 100, "no_renegotiation" },
	{ 109, "missing_extension" },
	{ 110, "unsupported_extension" },
	{ 112, "unrecognized_name" },
	{ 116, "certificate_required" },
	{ 120, "no_application_protocol" },
};

static const char *lookup(const struct name *t, size_t n, int code, const char *fallback)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].code == code)
			return t[i].name;
	return fallback;
}

const char *tls_br_error_name(int err)
{
	return lookup(br_errors, sizeof(br_errors) / sizeof(br_errors[0]), err, "UNKNOWN");
}

const char *tls_alert_name(int alert)
{
	return lookup(alerts, sizeof(alerts) / sizeof(alerts[0]), alert, "unknown");
}
