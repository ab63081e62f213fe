/* knob_table.c: the cloudboot.* knobs this code knows, with type, range, default and one line of help.
 * The data only: parsing and precedence live in knobs.c; docs/knobs.md describes each entry at length. */
#include "knobs.h"

#include <string.h>

static const char *const v_exit[] = { "kexec", "reboot", NULL };
static const char *const v_keymap[] = { "us", "fr", "fr-mac", NULL };
static const char *const v_fs[] = { "ext4", "xfs", "btrfs", "zfs", NULL };
static const char *const v_driver[] = { "virtio", "snp", NULL };

#define BOOL(n, d, h) { .name = n, .type = KNOB_BOOL, .dflt = d, .help = h }
#define STR(n, h) { .name = n, .type = KNOB_STRING, .help = h }
#define SECRET(n, h) { .name = n, .type = KNOB_STRING, .flags = KNOB_F_SECRET, .help = h }
#define ENUM(n, v, d, h) { .name = n, .type = KNOB_ENUM, .values = v, .dflt = d, .help = h }
#define UINT(n, lo, hi, d, h) { .name = n, .type = KNOB_UINT, .min = lo, .max = hi, .dflt = d, .help = h }
#define URL(n, h) { .name = n, .type = KNOB_URL, .help = h }
#define REF(n, h) { .name = n, .type = KNOB_OCI_REF, .help = h }

const struct knob_def knob_table[] = {
	ENUM("exit", v_exit, "kexec", "how the target is started: kexec (Path A) or reboot via the cache ESP (Path C)"),
	STR("target", "target to boot; unset: the menu (Path C) or the plan's default_target"),
	ENUM("keymap", v_keymap, "us", "console keymap of the menu"),
	STR("disk", "disk mode: device or partition holding the rootfs (/dev/vda2, /dev/disk/by-label/...)"),
	ENUM("disk.fs", v_fs, "ext4", "filesystem of cloudboot.disk"),
	STR("disk.device", "ZFS dataset holding the rootfs, e.g. rpool/ROOT/pve-1"),
	STR("disk.kernel", "kernel path on the rootfs; unset: lexically largest /boot/{vmlinuz,Image}-*"),
	STR("disk.initrd", "initrd path on the rootfs; unset: the kernel's suffix under /boot/{initrd.img-,initramfs-,initrd-}"),
	STR("cmdline", "extra kernel parameters, appended to the cmdline of whatever is booted"),
	SECRET("disk.luks-passphrase", "LUKS passphrase of the rootfs (prefer the metadata URL)"),
	REF("plan", "OCI reference of the plan (oci://host/repo:tag or host/repo:tag)"),
	REF("plan.modpack", "OCI reference of an optional kernel-modules artifact"),
	REF("index", "plan-less direct mode: OCI reference of a kernel index to boot"),
	URL("openstack.auth-url", "Keystone v3 URL for application credentials"),
	STR("openstack.app-cred-id", "Keystone application credential ID"),
	SECRET("openstack.app-cred-secret", "Keystone application credential secret"),
	URL("metadata.url", "JSON document whose top-level \"cloudboot\" block overrides the command line"),
	BOOL("debug", "0", "verbose logs"),
	BOOL("quiet", "0", "no banner"),
	BOOL("net.skip", "0", "do not bring the network up"),
	{ .name = "net.static", .type = KNOB_NETCFG, .help = "static IPv4 instead of DHCP: <ip>/<prefix>:<gw>:<dns>" },
	BOOL("net.lldp", "0", "log LLDP neighbours"),
	ENUM("net.driver", v_driver, NULL, "network driver: virtio (our virtio-net) or snp (the firmware's); unset: virtio when present, else snp"),
	UINT("net.dhcp-timeout", 1, 600, "10", "seconds to wait for a DHCP lease"),
	URL("fetch", "diagnostic: download this URL, report size and sha256, do not boot it"),
	BOOL("plain-http", "0", "plain HTTP to OCI registries (test setups); digests and signatures are still checked"),
	STR("key", "cosign public key file (PEM, ECDSA P-256) that artifacts must be signed with"),
	STR("ca", "extra TLS CA certificate file (PEM)"),
	UINT("timeout", 0, 3600, "5", "seconds the menu waits before booting the default target (0: at once)"),
};
const size_t knob_table_len = sizeof(knob_table) / sizeof(knob_table[0]);

bool knob_name_eq(const char *user, const char *table)
{
	if (strncmp(user, KNOBS_PREFIX, sizeof(KNOBS_PREFIX) - 1) == 0)
		user += sizeof(KNOBS_PREFIX) - 1;
	for (;; user++, table++) {
		char a = *user == '_' ? '-' : *user;
		if (a != *table)
			return false;
		if (!a)
			return true;
	}
}

const struct knob_def *knob_lookup(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < knob_table_len; i++)
		if (knob_name_eq(name, knob_table[i].name))
			return &knob_table[i];
	return NULL;
}

bool knob_key_is_secret(const char *name)
{
	static const char *const words[] = { "passphrase", "secret", "password", "token" };
	if (!name)
		return false;
	size_t n = strlen(name);
	for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
		size_t wl = strlen(words[w]);
		for (size_t i = 0; i + wl <= n; i++) {
			size_t j = 0;
			while (j < wl && (name[i + j] | 0x20) == words[w][j])
				j++;
			if (j == wl)
				return true;
		}
	}
	return false;
}

const char *knob_type_name(enum knob_type t)
{
	switch (t) {
	case KNOB_BOOL: return "bool";
	case KNOB_ENUM: return "enum";
	case KNOB_UINT: return "uint";
	case KNOB_STRING: return "string";
	case KNOB_URL: return "url";
	case KNOB_OCI_REF: return "oci-ref";
	case KNOB_NETCFG: return "netcfg";
	}
	return "?";
}
