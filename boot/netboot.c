/* netboot.c: Phase 2: cloudboot.index= (plan-less) or cloudboot.plan= → registry → cosign → kernel, initrd and
 * cmdline in memory → handoff. Decides nothing about transports: the network stack and oci/ do the work. */
#include "netboot.h"

#include <arch/cpu.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cosign.h"
#include "efi_file.h"
#include "handoff.h"
#include "http.h"
#include "log.h"
#include "menu.h"
#include "netstack.h"
#include "pem.h"
#include "plan.h"
#include "pull.h"
#include "progress.h"
#include "pull_cosign.h"
#include "pull_file.h"
#include "registry.h"
#include "rt.h"

#define KEY_FILE_MAX (64u * 1024)
#define PLAN_MAX (256u * 1024)
#define NET_CMDLINE_MAX 4096

struct netboot {
	const struct knobs *k;
	struct progress bar;
	char bar_label[24]; /* "sha256:" + 12 hex digits of the blob */
	bool bar_on;
	struct cosign_key key;
	bool have_key;
	struct oci_cosign_hook sig; /* verifies with key */
	struct http_client *http;
	struct oci_registry *reg;
};

/* The progress bar for blobs of 64 KiB and more (kernels, initrds); manifests and signatures stay quiet. */
static void on_progress(void *ctx, const char *digest, uint64_t done, uint64_t total)
{
	struct netboot *nb = ctx;
	if (total < 64 * 1024)
		return;
	if (done == 0) {
		snprintf(nb->bar_label, sizeof(nb->bar_label), "%.19s", digest);
		progress_start(&nb->bar, nb->bar_label, total);
		nb->bar_on = true;
		return;
	}
	progress_update(&nb->bar, done);
	if (done == total && nb->bar_on) {
		progress_finish(&nb->bar);
		nb->bar_on = false;
	}
}

static void log_sig(void *ctx, const struct oci_sig_found *sig, int rc, const char *msg)
{
	(void)ctx;
	if (rc == CB_OK)
		log_info("oci: signature OK for %s (%s)", sig->signed_digest, sig->source);
	else
		log_warn("oci: %s: %s", sig->source, msg);
}

/* cloudboot.key=FILE: a cosign public key (PEM) next to the loader on the boot filesystem. */
static int load_key(struct netboot *nb, struct cb_err *e)
{
	const char *name = knobs_get(nb->k, "key");
	if (!name || !*name) {
		log_warn("oci: no cosign key configured (cloudboot.key=): signatures are NOT checked");
		return CB_OK;
	}
	char *pem = NULL;
	size_t len = 0;
	efi_status s = rt_read_loader_file(name, KEY_FILE_MAX, &pem, &len);
	if (EFI_ERROR(s))
		return cb_errf(e, CB_ENOENT, "cloudboot.key=%s: cannot read it next to the loader: %s", name,
		               efi_status_str(s));
	int rc = pem_ec_p256_pubkey(pem, len, &nb->key, e);
	free(pem);
	if (rc)
		return cb_err_prefix(e, "cloudboot.key=%s: ", name);
	nb->have_key = true;
	oci_cosign_hook_init(&nb->sig, &nb->key, log_sig, NULL);
	log_info("oci: cosign key %s loaded: artifacts must carry a valid signature", name);
	return CB_OK;
}

/* Pulls ref for this CPU (signature first, when a key is set), then starts it with cmdline. */
static int boot_ref(struct netboot *nb, const char *what, const char *refstr, const char *cmdline, struct cb_err *e)
{
	struct oci_ref ref;
	int rc = oci_ref_parse(refstr, &ref, e);
	if (rc)
		return rc;
	struct oci_pull_opts po = {
		.platform = { .architecture = ARCH_OCI_NAME },
		.sig = nb->have_key ? &nb->sig.hook : NULL,
	};
	struct oci_boot_files f;
	memset(&f, 0, sizeof(f));
	log_milestone("pull %s", refstr);
	rc = oci_pull_boot(nb->reg, &ref, &po, &f, e);
	oci_ref_free(&ref);
	if (rc)
		return rc;
	log_milestone("artifact verified");
	log_info("oci: %s resolved to %s (manifest %s)", refstr, f.digest, f.manifest_digest);
	log_info("oci: kernel %zu bytes from %s%s%s", f.kernel_len, f.kernel_from, f.initrd ? ", initrd from " : "",
	         f.initrd ? f.initrd_from : "");

	char *full = malloc(NET_CMDLINE_MAX);
	if (!full) {
		oci_boot_files_free(&f);
		return cb_errf(e, CB_ENOMEM, "no memory for the cmdline");
	}
	const char *extra = knobs_get(nb->k, "cmdline");
	snprintf(full, NET_CMDLINE_MAX, "%s%s%s%s%s", cmdline ? cmdline : "", cmdline && *cmdline ? " " : "",
	         f.cmdline ? f.cmdline : "", f.cmdline && extra ? " " : "", extra ? extra : "");
	log_info("oci: cmdline: %s", full);

	/* Everything is verified and in memory: the NIC goes back to the firmware before the jump. */
	oci_registry_free(nb->reg);
	nb->reg = NULL;
	http_client_free(nb->http);
	nb->http = NULL;
	net_down();
	struct handoff_payload p = {
		.what = what,
		.kernel = f.kernel,
		.kernel_size = f.kernel_len,
		.initrd = f.initrd,
		.initrd_size = f.initrd_len,
		.cmdline = full,
	};
	rc = handoff_start(&p, e);
	free(full);
	oci_boot_files_free(&f);
	return rc;
}

/* cloudboot.plan=: the plan artifact (its one file), checked like any artifact, then the chosen target. */
static int boot_plan(struct netboot *nb, const char *plan_ref, struct cb_err *e)
{
	struct oci_ref ref;
	int rc = oci_ref_parse(plan_ref, &ref, e);
	if (rc)
		return rc;
	struct oci_pull_opts po = {
		.platform = { .architecture = ARCH_OCI_NAME },
		.sig = nb->have_key ? &nb->sig.hook : NULL,
		.max_file = PLAN_MAX,
	};
	uint8_t *text = NULL;
	size_t len = 0;
	log_milestone("pull plan %s", plan_ref);
	rc = oci_pull_file(nb->reg, &ref, &po, OCI_MT_PLAN, ".hcl", &text, &len, e);
	oci_ref_free(&ref);
	if (rc)
		return rc;
	struct plan *plan = NULL;
	struct plan_env env = { .arch = ARCH_OCI_NAME };
	rc = plan_load((const char *)text, len, &env, &plan, e);
	free(text);
	if (rc)
		return rc;
	/* cloudboot.target= skips the menu; the menu's countdown picks default_target. */
	const char *want = knobs_get(nb->k, "target");
	const struct plan_target *t = NULL;
	if (want && *want) {
		if (!(t = plan_find(plan, want)))
			rc = cb_errf(e, CB_ENOENT, "plan: no target \"%s\" for %s", want, ARCH_OCI_NAME);
	} else {
		rc = menu_choose(plan, knobs_u32(nb->k, "timeout", 5), &t, e);
	}
	if (!rc && t->has_disk)
		rc = cb_errf(e, CB_EUNSUP, "plan: target \"%s\" is a disk target: use cloudboot.disk= for Path B",
		             t->name);
	if (!rc) {
		log_info("plan: target %s%s%s", t->name, t->label ? ": " : "", t->label ? t->label : "");
		rc = boot_ref(nb, t->name, t->index ? t->index : t->kernel, t->cmdline, e);
	}
	plan_free(plan);
	return rc;
}

int netboot_run(const struct knobs *k, const struct net_config *nc, struct cb_err *e)
{
	struct netboot nb = { .k = k };
	int rc = load_key(&nb, e);
	if (rc)
		return rc;
	if ((rc = net_up(nc, e)))
		return rc;
	struct http_client_opts ho;
	http_client_opts_init(&ho);
	nb.http = http_client_new(net_dialer(), net_clock(), &ho);
	struct oci_registry_opts ro = {
		.plain_http = knobs_bool(k, "plain-http", false),
		.progress = on_progress,
		.progress_ctx = &nb,
	};
	nb.reg = nb.http ? oci_registry_new(nb.http, NULL, &ro) : NULL;
	if (!nb.reg) {
		rc = cb_errf(e, CB_ENOMEM, "oci: out of memory");
	} else if (knobs_is_set(k, "plan")) {
		rc = boot_plan(&nb, knobs_get(k, "plan"), e);
	} else {
		const char *index = knobs_get(k, "index");
		rc = boot_ref(&nb, index, index, NULL, e);
	}
	oci_registry_free(nb.reg);
	http_client_free(nb.http);
	net_down();
	return rc;
}
