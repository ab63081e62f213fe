/* tls_setup.c: assembles the loader's tls_config from the compiled-in anchors and the two run-time CA sources
 * (a firmware variable, a file on the boot filesystem), plus the runtime's clock and RNG. No TLS logic here. */
#include "tls_setup.h"

#include <stdlib.h>

#include "efi_file.h"
#include "log.h"
#include "rng.h"
#include "rt.h"
#include "wallclock.h"

#define TLS_CA_MAX (1024 * 1024) /* bytes of one run-time CA source */
#define TLS_CA_FILE "cloudboot-ca.pem"
/* gEfiTlsCaCertificateGuid (EDK2 NetworkPkg): the variable TlsCaCertificate holds EFI_SIGNATURE_LISTs. */
#define EFI_TLS_CA_CERTIFICATE_GUID \
	EFI_GUID(0xfd2340d0, 0x3dab, 0x4349, 0xa6, 0xc7, 0x3b, 0x4f, 0x12, 0xb4, 0x8e, 0xae)

static void tls_log(void *ctx, const char *line)
{
	(void)ctx;
	log_debug("%s", line);
}

/* Adds one run-time source; a broken one is reported and skipped. Returns the number of anchors added. */
static size_t add_source(struct tls_config *cfg, const char *name, const void *data, size_t len)
{
	size_t before = tls_config_anchor_count(cfg);
	struct cb_err e = { 0 };
	if (tls_config_add_named(cfg, name, data, len, &e)) {
		log_warn("%s; ignoring it", e.msg);
		return 0;
	}
	return tls_config_anchor_count(cfg) - before;
}

static size_t add_variable(struct tls_config *cfg)
{
	static const char16 name[] = u"TlsCaCertificate";
	efi_guid vendor = EFI_TLS_CA_CERTIFICATE_GUID;
	uint64_t size = 0;
	efi_status s = rt_rs->get_variable(name, &vendor, NULL, &size, NULL);
	if (s == EFI_NOT_FOUND)
		return 0;
	if (s != EFI_BUFFER_TOO_SMALL || size == 0 || size > TLS_CA_MAX) {
		log_warn("tls: TlsCaCertificate: %s (%llu bytes); ignoring it",
		         s == EFI_BUFFER_TOO_SMALL ? "too large" : efi_status_str(s), (unsigned long long)size);
		return 0;
	}
	void *buf = malloc(size);
	if (!buf) {
		log_warn("tls: TlsCaCertificate: out of memory; ignoring it");
		return 0;
	}
	size_t n = 0;
	s = rt_rs->get_variable(name, &vendor, NULL, &size, buf);
	if (s == EFI_SUCCESS)
		n = add_source(cfg, "TlsCaCertificate", buf, size);
	else
		log_warn("tls: TlsCaCertificate: %s; ignoring it", efi_status_str(s));
	free(buf);
	return n;
}

/* The CA file next to the loader: `named` (cloudboot.ca=) must exist; the default name may be absent. */
static int add_file(struct tls_config *cfg, const char *named, size_t *added, struct cb_err *e)
{
	const char *name = named && *named ? named : TLS_CA_FILE;
	char *text;
	size_t len;
	*added = 0;
	efi_status s = rt_read_loader_file(name, TLS_CA_MAX, &text, &len);
	if (EFI_ERROR(s)) {
		if (name != named && (s == EFI_NOT_FOUND || s == EFI_UNSUPPORTED))
			return 0;
		if (name == named)
			return cb_errf(e, CB_ENOENT, "cloudboot.ca=%s: cannot read it next to the loader: %s", name,
			               efi_status_str(s));
		log_warn("tls: %s: %s; ignoring it", name, efi_status_str(s));
		return 0;
	}
	*added = add_source(cfg, name, text, len);
	free(text);
	if (name == named && *added == 0)
		return cb_errf(e, CB_EINVAL, "cloudboot.ca=%s: no usable CA certificate in it", name);
	return 0;
}

int boot_tls_setup(struct tls_config *cfg, const char *ca_file, struct cb_err *e)
{
	tls_config_init(cfg);
	cfg->unix_time = rt_unix_time;
	cfg->entropy = rt_random;
	cfg->log = tls_log;
	int rc = tls_config_add_builtin(cfg, e);
	if (rc)
		return rc;
	size_t built_in = tls_config_anchor_count(cfg);
	size_t from_var = add_variable(cfg);
	size_t from_file = 0;
	if ((rc = add_file(cfg, ca_file, &from_file, e)))
		return rc;
	log_debug("tls: %zu trust anchors (%zu compiled in, %zu from TlsCaCertificate, %zu from %s)",
	          tls_config_anchor_count(cfg), built_in, from_var, from_file,
	          ca_file && *ca_file ? ca_file : TLS_CA_FILE);
	return 0;
}
