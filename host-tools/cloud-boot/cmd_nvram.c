/* cmd_nvram.c: `cloud-boot nvram list|set|reset VARS.fd`: Path C's Boot0001/BootOrder switch done offline on an
 * EDK2 variable store file (varstore.c), with the saved state kept in the store (CloudBootSaved). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cachedisk.h"
#include "cb_checked.h"
#include "cmd.h"
#include "knobs.h"
#include "outfile.h"
#include "varstore.h"

#define VARS_MAX_BYTES (256u << 20)
#define TARGET_MAX 64u
#define SAVED_NAME "CloudBootSaved"
#define NO_BOOT_ORDER 0xFFFFu
#define OUR_OPTION 0x0001u

static const char nvram_help[] =
	"Usage: cloud-boot nvram list VARS.fd\n"
	"       cloud-boot nvram set VARS.fd --disk CACHE.img --target NAME [--cmdline TEXT] [--description TEXT]\n"
	"       cloud-boot nvram reset VARS.fd\n"
	"\n"
	"Edit an EDK2 variable store file (OVMF_VARS*.fd, QEMU_VARS.fd, RISCV_VIRT_VARS.fd, ...) offline, the way\n"
	"Path C does through efivarfs before it reboots.\n"
	"\n"
	"Commands:\n"
	"  list    BootNext, Timeout, BootOrder and every Boot#### entry, as efibootmgr shows them\n"
	"  set     write Boot0001 = HD(<the cache disk's cloud-boot-cache partition>)/File(\\EFI\\Linux\\NAME-vmlinuz.efi)\n"
	"          and put 0001 first in BootOrder. Its options (the kernel command line) are\n"
	"          'initrd=\\EFI\\Linux\\NAME-initrd' when that file is on the cache disk, then TEXT.\n"
	"          The first set saves the BootOrder it found, and a Boot0001 that was not a Path C entry, in\n"
	"          the variable " SAVED_NAME "-" CLOUDBOOT_VENDOR_GUID_STR ".\n"
	"  reset   restore what set saved (BootOrder, Boot0001) and delete cloud-boot's Boot0001\n"
	"\n"
	"Options:\n"
	"  --disk FILE          the cache disk image ('cloud-boot cache-disk')\n"
	"  --target NAME        the staged target: 1..64 of A-Z a-z 0-9 . _ -\n"
	"  --cmdline TEXT       kernel command line for the target (printable ASCII)\n"
	"  --description TEXT   the entry's name (default 'cloud-boot NAME')\n"
	"  -o, --output FILE    write the edited store to FILE instead of changing VARS.fd in place\n"
	"  -f, --force          let --output replace an existing FILE\n"
	"  -h, --help           this text\n"
	"\n"
	"Exit status: 0 success, 1 operational error (stderr names the file and the reason), 2 usage error.\n";

static const uint8_t cloudboot_guid[16] = { 0xe4, 0xd1, 0xc1, 0xa3, 0x0f, 0x5b, 0x7e, 0x4c,
					    0x9d, 0x2a, 0x6f, 0x1b, 0x8e, 0x0c, 0x4d, 0x21 }; /* CLOUDBOOT_VENDOR_GUID */

struct nvram_opts {
	const char *sub, *vars, *disk, *target, *cmdline, *description, *output;
	bool force;
};

/* file: the store the error is about, or NULL when e->msg already starts with the file it is about. */
static int fail(const char *file, const struct cb_err *e)
{
	const char *msg = e->msg[0] ? e->msg : cb_status_str(e->code);
	if (file)
		cb_error("nvram: %s: %s", file, msg);
	else
		cb_error("nvram: %s", msg);
	return EXIT_FAIL;
}

/* ---- the store file ---- */

static int load(const char *path, uint8_t **buf, size_t *len, struct cb_err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cb_errf(e, CB_EIO, "%s", strerror(errno));
	struct stat st;
	int rc = 0;
	if (fstat(fd, &st) < 0)
		rc = cb_errf(e, CB_EIO, "%s", strerror(errno));
	else if (!S_ISREG(st.st_mode))
		rc = cb_errf(e, CB_EINVAL, "not a regular file");
	else if ((uint64_t)st.st_size > VARS_MAX_BYTES)
		rc = cb_errf(e, CB_ELIMIT, "%lld bytes is more than a variable store file holds (%u MiB)",
			     (long long)st.st_size, VARS_MAX_BYTES >> 20);
	size_t n = rc ? 0 : (size_t)st.st_size, got = 0;
	uint8_t *b = rc ? NULL : malloc(n ? n : 1);
	if (!rc && !b)
		rc = cb_errf(e, CB_ENOMEM, "out of memory");
	while (!rc && got < n) {
		ssize_t r = read(fd, b + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			rc = cb_errf(e, CB_EIO, "read: %s", r < 0 ? strerror(errno) : "unexpected end of file");
		else
			got += (size_t)r;
	}
	close(fd);
	if (rc) {
		free(b);
		return rc;
	}
	*buf = b;
	*len = n;
	return 0;
}

static int store(const char *path, bool replace, const uint8_t *buf, size_t len, struct cb_err *e)
{
	struct outfile out;
	int rc = outfile_open(&out, path, replace, e);
	if (rc)
		return rc;
	for (size_t off = 0; off < len && !rc;) {
		ssize_t w = write(out.fd, buf + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			rc = cb_errf(e, CB_EIO, "write: %s", w < 0 ? strerror(errno) : "no progress");
		else
			off += (size_t)w;
	}
	if (!rc)
		rc = outfile_commit(&out, e);
	outfile_abort(&out);
	return rc;
}

/* ---- boot variables ---- */

static void option_name(char out[9], uint16_t n)
{
	snprintf(out, 9, "Boot%04X", n);
}

/* A u16 list variable (BootOrder); CB_ENOENT if absent, CB_EINVAL if malformed. */
static int get_order(const struct varstore *vs, const char *name, const uint8_t *guid, uint16_t **order,
		     size_t *n, struct cb_err *e)
{
	struct varstore_var v;
	int rc = varstore_get(vs, name, guid, &v, e);
	if (rc)
		return rc;
	if (v.data_size % 2)
		return cb_errf(e, CB_EINVAL, "%s has an odd size (%u bytes)", name, v.data_size);
	*n = v.data_size / 2;
	*order = malloc(v.data_size ? v.data_size : 1);
	if (!*order)
		return cb_errf(e, CB_ENOMEM, "out of memory");
	for (size_t i = 0; i < *n; i++)
		(*order)[i] = cb_le16(v.data + 2 * i);
	return 0;
}

static int set_order(struct varstore *vs, const uint16_t *order, size_t n, struct cb_err *e)
{
	if (n == 0) {
		int rc = varstore_delete(vs, "BootOrder", varstore_global_guid, e);
		return rc == CB_ENOENT ? 0 : rc;
	}
	uint8_t *b = malloc(2 * n);
	if (!b)
		return cb_errf(e, CB_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		b[2 * i] = (uint8_t)order[i];
		b[2 * i + 1] = (uint8_t)(order[i] >> 8);
	}
	int rc = varstore_set(vs, "BootOrder", varstore_global_guid, VARSTORE_NV_BS_RT, b, 2 * n, e);
	free(b);
	return rc;
}

static void print_order(FILE *f, const char *label, const uint16_t *order, size_t n)
{
	fprintf(f, "%s: ", label);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%04X", i ? "," : "", order[i]);
	fputc('\n', f);
}

/* The text of a Boot#### value: "* description\tdevice path" (efibootmgr's shape). */
static void option_line(FILE *f, const char *name, const struct varstore_var *v)
{
	struct varstore_loadopt o;
	struct cb_err e = { 0, "" };
	char dp[VARSTORE_DEVPATH_TEXT_MAX];
	if (varstore_loadopt_parse(v->data, v->data_size, &o, &e)) {
		fprintf(f, "%s  (unreadable: %s)\n", name, e.msg);
		return;
	}
	const char *active = (o.attributes & VARSTORE_LOAD_OPTION_ACTIVE) ? "*" : " ";
	if (varstore_devpath_text(o.devpath, o.devpath_len, dp, sizeof(dp), &e))
		fprintf(f, "%s%s %s\t%s (bad device path: %s)\n", name, active, o.description, dp, e.msg);
	else
		fprintf(f, "%s%s %s\t%s\n", name, active, o.description, dp);
}

static int is_boot_option(const char *name, uint16_t *n)
{
	if (strncmp(name, "Boot", 4) != 0 || strlen(name) != 8 || strspn(name + 4, "0123456789ABCDEFabcdef") != 4)
		return 0;
	*n = (uint16_t)strtoul(name + 4, NULL, 16);
	return 1;
}

static int cmp_u16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static int do_list(const struct varstore *vs, struct cb_err *e)
{
	struct varstore_var v;
	if (varstore_get(vs, "BootNext", varstore_global_guid, &v, e) == 0 && v.data_size == 2)
		printf("BootNext: %04X\n", cb_le16(v.data));
	if (varstore_get(vs, "Timeout", varstore_global_guid, &v, e) == 0 && v.data_size == 2)
		printf("Timeout: %u seconds\n", cb_le16(v.data));
	uint16_t *order = NULL;
	size_t n = 0;
	int rc = get_order(vs, "BootOrder", varstore_global_guid, &order, &n, e);
	if (rc == 0)
		print_order(stdout, "BootOrder", order, n);
	else if (rc != CB_ENOENT)
		printf("BootOrder: (unreadable: %s)\n", e->msg);
	free(order);
	uint16_t nums[1024];
	size_t count = 0, cur = 0;
	while (varstore_next(vs, &cur, &v) && count < sizeof(nums) / sizeof(nums[0])) {
		uint16_t num;
		struct varstore_var eff;
		if (varstore_state_live(v.state) && memcmp(v.guid, varstore_global_guid, 16) == 0 &&
		    is_boot_option(v.name, &num) && varstore_get(vs, v.name, v.guid, &eff, e) == 0 && eff.off == v.off)
			nums[count++] = num;
	}
	qsort(nums, count, sizeof(nums[0]), cmp_u16);
	for (size_t i = 0; i < count; i++) {
		char name[9];
		option_name(name, nums[i]);
		if (varstore_get(vs, name, varstore_global_guid, &v, e) == 0)
			option_line(stdout, name, &v);
	}
	if (varstore_get(vs, SAVED_NAME, cloudboot_guid, &v, e) == 0)
		printf("cloud-boot: Path C entry set; 'nvram reset' restores the saved boot order\n");
	return 0;
}

/* Is this Boot#### value a Path C entry (…/File(\EFI\Linux\…-vmlinuz.efi))? */
static bool is_pathc_option(const struct varstore_var *v)
{
	struct varstore_loadopt o;
	struct cb_err e;
	char dp[VARSTORE_DEVPATH_TEXT_MAX];
	if (varstore_loadopt_parse(v->data, v->data_size, &o, &e) ||
	    varstore_devpath_text(o.devpath, o.devpath_len, dp, sizeof(dp), &e))
		return false;
	const char *f = strstr(dp, "/File(\\EFI\\Linux\\");
	size_t l = strlen(dp);
	return f && l > 13 && strcmp(dp + l - 13, "-vmlinuz.efi)") == 0;
}

/* CloudBootSaved: u16 count of the saved BootOrder (0xFFFF: there was none), the entries, then the saved
 * Boot0001 value (nothing: there was none). */
static int save_state(struct varstore *vs, const uint16_t *order, size_t n, bool had_order,
		      const struct varstore_var *old0001, struct cb_err *e)
{
	size_t extra = old0001 ? old0001->data_size : 0, len = 2 + 2 * n + extra;
	uint8_t *b = malloc(len);
	if (!b)
		return cb_errf(e, CB_ENOMEM, "out of memory");
	uint16_t cnt = had_order ? (uint16_t)n : NO_BOOT_ORDER;
	b[0] = (uint8_t)cnt;
	b[1] = (uint8_t)(cnt >> 8);
	for (size_t i = 0; i < n; i++) {
		b[2 + 2 * i] = (uint8_t)order[i];
		b[3 + 2 * i] = (uint8_t)(order[i] >> 8);
	}
	if (extra)
		memcpy(b + 2 + 2 * n, old0001->data, extra);
	int rc = varstore_set(vs, SAVED_NAME, cloudboot_guid, VARSTORE_NV_BS_RT, b, len, e);
	free(b);
	return rc;
}

static int check_target(const char *t)
{
	size_t n = strlen(t);
	return n >= 1 && n <= TARGET_MAX && t[0] != '.' &&
	       strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

/* The load option's data: UCS-2 "initrd=… cmdline" with its NUL, or nothing. */
static int make_optional(const char *initrd, const char *cmdline, uint8_t **out, size_t *len, struct cb_err *e)
{
	char text[4096];
	int n = snprintf(text, sizeof(text), "%s%s%s", initrd ? initrd : "", initrd && cmdline ? " " : "",
			 cmdline ? cmdline : "");
	*out = NULL;
	*len = 0;
	if (n <= 0)
		return 0;
	if ((size_t)n >= sizeof(text))
		return cb_errf(e, CB_ELIMIT, "the command line is longer than %zu characters", sizeof(text) - 1);
	*len = 2 * ((size_t)n + 1);
	*out = malloc(*len);
	if (!*out)
		return cb_errf(e, CB_ENOMEM, "out of memory");
	for (int i = 0; i <= n; i++) {
		(*out)[2 * i] = (uint8_t)text[i];
		(*out)[2 * i + 1] = 0;
	}
	return 0;
}

/* Reads the cache disk: the HD() node of its partition and which target files it holds. */
static int read_disk(const struct nvram_opts *o, struct varstore_hd *hd, bool *have_kernel, bool *have_initrd,
		     struct cb_err *e)
{
	struct cachedisk c;
	int rc = cachedisk_open(o->disk, false, &c, e);
	if (rc)
		return cb_err_prefix(e, "%s: ", o->disk);
	if (c.table.sector_size != 512) {
		rc = cb_errf(e, CB_EUNSUP, "%s: %u-byte sectors (only 512 is handled)", o->disk, c.table.sector_size);
	} else {
		hd->number = c.part->number;
		hd->start = c.part->first_lba;
		hd->size = c.part->last_lba - c.part->first_lba + 1;
		memcpy(hd->part_guid, c.part->part_guid, 16);
		char p[128];
		struct cb_fs_stat st;
		struct cb_err le;
		snprintf(p, sizeof(p), "%s/%s-vmlinuz.efi", CACHEDISK_DIR, o->target);
		*have_kernel = c.fs->ops->lstat(c.fs, p, &st, &le) == 0;
		snprintf(p, sizeof(p), "%s/%s-initrd", CACHEDISK_DIR, o->target);
		*have_initrd = c.fs->ops->lstat(c.fs, p, &st, &le) == 0;
	}
	cachedisk_close(&c);
	return rc;
}

static int do_set(struct varstore *vs, const struct nvram_opts *o, struct cb_err *e)
{
	struct varstore_hd hd;
	bool have_kernel = false, have_initrd = false;
	int rc = read_disk(o, &hd, &have_kernel, &have_initrd, e);
	if (rc)
		return rc;
	if (!have_kernel)
		fprintf(stderr, "%s: nvram: warning: %s: \\EFI\\Linux\\%s-vmlinuz.efi is not on the cache disk (yet)\n",
			cb_prog, o->disk, o->target);
	char path[128], initrd[128], desc[128];
	snprintf(path, sizeof(path), "\\EFI\\Linux\\%s-vmlinuz.efi", o->target);
	snprintf(initrd, sizeof(initrd), "initrd=\\EFI\\Linux\\%s-initrd", o->target);
	snprintf(desc, sizeof(desc), "cloud-boot %s", o->target);
	uint8_t *opt = NULL, *lo = NULL;
	size_t opt_len = 0, lo_len = 0;
	uint16_t *order = NULL, *neworder = NULL;
	size_t n = 0;
	if ((rc = make_optional(have_initrd ? initrd : NULL, o->cmdline, &opt, &opt_len, e)))
		goto out;
	if ((rc = varstore_loadopt_build(o->description ? o->description : desc, &hd, path, opt, opt_len, &lo, &lo_len, e)))
		goto out;
	/* Save what we are about to change, unless an earlier set already did. */
	struct varstore_var saved, old;
	bool had_order = (rc = get_order(vs, "BootOrder", varstore_global_guid, &order, &n, e)) == 0;
	if (rc && rc != CB_ENOENT)
		goto out;
	char ours[9];
	option_name(ours, OUR_OPTION);
	bool have_old = varstore_get(vs, ours, varstore_global_guid, &old, e) == 0;
	if (varstore_get(vs, SAVED_NAME, cloudboot_guid, &saved, e) == CB_ENOENT &&
	    (rc = save_state(vs, order, n, had_order, have_old && !is_pathc_option(&old) ? &old : NULL, e)))
		goto out;
	if ((rc = varstore_set(vs, ours, varstore_global_guid, VARSTORE_NV_BS_RT, lo, lo_len, e)))
		goto out;
	neworder = malloc(2 * (n + 1));
	if (!neworder) {
		rc = cb_errf(e, CB_ENOMEM, "out of memory");
		goto out;
	}
	size_t m = 0;
	neworder[m++] = OUR_OPTION;
	for (size_t i = 0; i < n; i++)
		if (order[i] != OUR_OPTION)
			neworder[m++] = order[i];
	if ((rc = set_order(vs, neworder, m, e)))
		goto out;
	struct varstore_var v;
	if (varstore_get(vs, ours, varstore_global_guid, &v, e) == 0)
		option_line(stdout, ours, &v);
	print_order(stdout, "BootOrder", neworder, m);
out:
	free(opt);
	free(lo);
	free(order);
	free(neworder);
	return rc;
}

/* Returns 1 when something was changed, 0 when there was nothing to reset. */
static int do_reset(struct varstore *vs, struct cb_err *e)
{
	char ours[9];
	option_name(ours, OUR_OPTION);
	struct varstore_var saved, cur;
	int rc;
	bool have_saved = varstore_get(vs, SAVED_NAME, cloudboot_guid, &saved, e) == 0;
	bool have_cur = varstore_get(vs, ours, varstore_global_guid, &cur, e) == 0;
	if (!have_saved) {
		if (!have_cur || !is_pathc_option(&cur)) {
			printf("nothing to reset: no saved state and no Path C Boot0001\n");
			return 0;
		}
		uint16_t *order = NULL;
		size_t n = 0, m = 0;
		rc = get_order(vs, "BootOrder", varstore_global_guid, &order, &n, e);
		if (rc && rc != CB_ENOENT)
			return rc;
		for (size_t i = 0; i < n; i++)
			if (order[i] != OUR_OPTION)
				order[m++] = order[i];
		rc = rc ? 0 : set_order(vs, order, m, e);
		if (!rc)
			rc = varstore_delete(vs, ours, varstore_global_guid, e);
		if (!rc)
			print_order(stdout, "BootOrder", order, m);
		free(order);
		return rc ? rc : 1;
	}
	if (saved.data_size < 2)
		return cb_errf(e, CB_EINVAL, "%s is %u bytes, too short", SAVED_NAME, saved.data_size);
	uint16_t cnt = cb_le16(saved.data);
	size_t n = cnt == NO_BOOT_ORDER ? 0 : cnt;
	if (2 + 2 * n > saved.data_size)
		return cb_errf(e, CB_EINVAL, "%s says %zu saved entries but holds %u bytes", SAVED_NAME, n, saved.data_size);
	uint16_t *order = malloc(2 * n + 2);
	if (!order)
		return cb_errf(e, CB_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		order[i] = cb_le16(saved.data + 2 + 2 * i);
	/* Copy the saved Boot0001 out of the store before the store changes under it. */
	size_t old_len = saved.data_size - 2 - 2 * n;
	uint8_t *old = old_len ? malloc(old_len) : NULL;
	if (old_len && !old) {
		free(order);
		return cb_errf(e, CB_ENOMEM, "out of memory");
	}
	if (old_len)
		memcpy(old, saved.data + 2 + 2 * n, old_len);
	rc = cnt == NO_BOOT_ORDER ? set_order(vs, NULL, 0, e) : set_order(vs, order, n, e);
	if (!rc && old_len)
		rc = varstore_set(vs, ours, varstore_global_guid, VARSTORE_NV_BS_RT, old, old_len, e);
	else if (!rc && have_cur && (rc = varstore_delete(vs, ours, varstore_global_guid, e)) == CB_ENOENT)
		rc = 0;
	if (!rc)
		rc = varstore_delete(vs, SAVED_NAME, cloudboot_guid, e);
	if (!rc) {
		if (cnt == NO_BOOT_ORDER)
			printf("BootOrder: (none)\n");
		else
			print_order(stdout, "BootOrder", order, n);
		printf(old_len ? "Boot0001: restored\n" : "Boot0001: deleted\n");
	}
	free(order);
	free(old);
	return rc ? rc : 1;
}

static int parse(int argc, char **argv, struct nvram_opts *o)
{
	memset(o, 0, sizeof(*o));
	int npos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		if (cb_is_help(a)) {
			fputs(nvram_help, stdout);
			return -1;
		}
		if (strcmp(a, "-f") == 0 || strcmp(a, "--force") == 0) {
			o->force = true;
			continue;
		}
		if (strcmp(a, "--disk") == 0)
			slot = &o->disk;
		else if (strcmp(a, "--target") == 0)
			slot = &o->target;
		else if (strcmp(a, "--cmdline") == 0)
			slot = &o->cmdline;
		else if (strcmp(a, "--description") == 0)
			slot = &o->description;
		else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0)
			slot = &o->output;
		if (slot) {
			if (i + 1 >= argc)
				return cb_usage_err("nvram", "option %s needs a value", a);
			*slot = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			return cb_usage_err("nvram", "unknown option '%s'", a);
		} else if (npos == 0) {
			o->sub = a;
			npos++;
		} else if (npos == 1) {
			o->vars = a;
			npos++;
		} else {
			return cb_usage_err("nvram", "unexpected argument '%s'", a);
		}
	}
	if (!o->sub)
		return cb_usage_err("nvram", "missing COMMAND (list, set or reset)%s", "");
	bool set = strcmp(o->sub, "set") == 0;
	if (!set && strcmp(o->sub, "list") != 0 && strcmp(o->sub, "reset") != 0)
		return cb_usage_err("nvram", "unknown command '%s' (list, set or reset)", o->sub);
	if (!o->vars)
		return cb_usage_err("nvram", "%s: missing VARS.fd", o->sub);
	if (!set && (o->disk || o->target || o->cmdline || o->description))
		return cb_usage_err("nvram", "%s takes no --disk, --target, --cmdline or --description", o->sub);
	if (strcmp(o->sub, "list") == 0 && (o->output || o->force))
		return cb_usage_err("nvram", "list takes no --output or --force%s", "");
	if (set && (!o->disk || !o->target))
		return cb_usage_err("nvram", "set needs --disk FILE and --target NAME%s", "");
	if (set && !check_target(o->target))
		return cb_usage_err("nvram", "--target '%s': use 1..64 of A-Z a-z 0-9 . _ - (not starting with '.')", o->target);
	if (o->cmdline && strspn(o->cmdline, " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
					     "abcdefghijklmnopqrstuvwxyz{|}~") != strlen(o->cmdline))
		return cb_usage_err("nvram", "--cmdline '%s' is not printable ASCII", o->cmdline);
	if (o->force && !o->output)
		return cb_usage_err("nvram", "--force only applies to --output%s", "");
	return 0;
}

static int run_nvram(int argc, char **argv)
{
	struct nvram_opts o;
	int prc = parse(argc, argv, &o);
	if (prc)
		return prc < 0 ? EXIT_OK : prc;
	struct cb_err e = { 0, "" };
	uint8_t *buf = NULL;
	size_t len = 0;
	struct varstore vs;
	if (load(o.vars, &buf, &len, &e) || varstore_open(&vs, buf, len, &e)) {
		free(buf);
		return fail(o.vars, &e);
	}
	int rc;
	if (strcmp(o.sub, "list") == 0)
		rc = do_list(&vs, &e);
	else if (strcmp(o.sub, "set") == 0)
		rc = do_set(&vs, &o, &e);
	else
		rc = do_reset(&vs, &e);
	const char *dest = o.output ? o.output : o.vars;
	if (rc >= 0 && strcmp(o.sub, "list") != 0 && (rc > 0 || strcmp(o.sub, "set") == 0 || o.output))
		rc = store(dest, o.output ? o.force : true, buf, len, &e);
	free(buf);
	if (rc < 0)
		return fail(o.disk && strncmp(e.msg, o.disk, strlen(o.disk)) == 0 ? NULL : dest, &e);
	return EXIT_OK;
}

const struct cb_cmd cmd_nvram = {
	.name = "nvram",
	.summary = "edit an EDK2 variable store file offline: list, set (Boot0001 → the cache disk, first), reset",
	.run = run_nvram,
};
