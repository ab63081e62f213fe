/* blockdev_efi.c: cb_blockdev over EFI Block I/O: byte-offset reads become whole-block reads into a
 * page-aligned bounce buffer (any io_align the firmware asks for), large aligned reads go straight through. */
#include "blockdev_efi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb_checked.h"
#include "efi/block_io.h"
#include "efi/protocols.h"
#include "rt.h"

#define BOUNCE_BYTES (256u * 1024)

struct efi_disk {
	struct cb_blockdev dev;
	efi_block_io *bio;
	uint32_t media_id;
	uint8_t *bounce; /* BOUNCE_BYTES, page aligned */
	char name[16];
};

static int read_blocks(struct efi_disk *d, uint64_t lba, uint64_t bytes, void *buf, struct cb_err *e)
{
	efi_status s = d->bio->read_blocks(d->bio, d->media_id, lba, bytes, buf);
	if (s != EFI_SUCCESS)
		return cb_errf(e, CB_EIO, "%s: reading %llu bytes at block %llu failed: %s", d->name,
		               (unsigned long long)bytes, (unsigned long long)lba, efi_status_str(s));
	return CB_OK;
}

static int efi_disk_read(struct cb_blockdev *dev, uint64_t off, void *buf, size_t len, struct cb_err *e)
{
	struct efi_disk *d = dev->priv;
	uint32_t bs = dev->sector_size, align = d->bio->media->io_align;
	if (!cb_in_bounds(off, len, dev->size))
		return cb_errf(e, CB_EIO, "%s: read of %zu bytes at %llu is past the end (%llu bytes)", d->name, len,
		               (unsigned long long)off, (unsigned long long)dev->size);
	uint8_t *out = buf;
	while (len > 0) {
		uint64_t lba = off / bs;
		uint32_t skip = (uint32_t)(off % bs);
		bool direct = skip == 0 && len >= bs && (align <= 1 || (uintptr_t)out % align == 0);
		if (direct) {
			uint64_t bytes = len - len % bs;
			int rc = read_blocks(d, lba, bytes, out, e);
			if (rc)
				return rc;
			out += bytes;
			off += bytes;
			len -= bytes;
			continue;
		}
		uint64_t want = (uint64_t)skip + len;
		uint64_t bytes = want > BOUNCE_BYTES ? BOUNCE_BYTES : (want + bs - 1) / bs * bs;
		int rc = read_blocks(d, lba, bytes, d->bounce, e);
		if (rc)
			return rc;
		size_t take = (size_t)(bytes - skip) < len ? (size_t)(bytes - skip) : len;
		memcpy(out, d->bounce + skip, take);
		out += take;
		off += take;
		len -= take;
	}
	return CB_OK;
}

static void efi_disk_close(struct cb_blockdev *dev)
{
	struct efi_disk *d = dev->priv;
	rt_bs->free_pages((efi_physical_addr)(uintptr_t)d->bounce, BOUNCE_BYTES / EFI_PAGE_SIZE);
	free(d);
}

static struct efi_disk *efi_disk_new(efi_block_io *bio, size_t index)
{
	efi_block_io_media *m = bio->media;
	uint64_t size;
	if (!m || !m->media_present || m->logical_partition || m->block_size < 512 || m->block_size > BOUNCE_BYTES ||
	    (m->block_size & (m->block_size - 1)) || m->io_align > EFI_PAGE_SIZE ||
	    !cb_mul_ok(m->last_block + 1, (uint64_t)m->block_size, &size) || m->last_block == UINT64_MAX)
		return NULL;
	struct efi_disk *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	efi_physical_addr pa = 0;
	if (rt_bs->allocate_pages(EFI_ALLOCATE_ANY_PAGES, EFI_LOADER_DATA, BOUNCE_BYTES / EFI_PAGE_SIZE, &pa) !=
	    EFI_SUCCESS) {
		free(d);
		return NULL;
	}
	d->bounce = (uint8_t *)(uintptr_t)pa;
	d->bio = bio;
	d->media_id = m->media_id;
	snprintf(d->name, sizeof(d->name), "disk%zu", index);
	d->dev = (struct cb_blockdev){
		.read = efi_disk_read,
		.close = efi_disk_close,
		.size = size,
		.sector_size = m->block_size,
		.name = d->name,
		.priv = d,
	};
	return d;
}

/* Firmware that boots fast connects only the boot device: bind drivers to every PCI function (recursively,
 * as the shell's `connect -r` does) so each disk gets its Block I/O. Errors only mean "no driver". */
static void connect_pci(void)
{
	static const efi_guid pci_guid = EFI_PCI_IO_PROTOCOL_GUID;
	efi_handle *handles = NULL;
	uint64_t n = rt_handles_for(&pci_guid, &handles);
	for (uint64_t i = 0; i < n; i++)
		rt_bs->connect_controller(handles[i], NULL, NULL, true);
	if (handles)
		rt_bs->free_pool(handles);
}

int blockdev_efi_open_all(struct cb_blockdev ***disks, size_t *count, struct cb_err *e)
{
	static const efi_guid bio_guid = EFI_BLOCK_IO_PROTOCOL_GUID;
	connect_pci();
	*disks = NULL;
	*count = 0;
	efi_handle *handles = NULL;
	uint64_t n = rt_handles_for(&bio_guid, &handles);
	if (n == 0)
		return CB_OK;
	struct cb_blockdev **list = calloc(n, sizeof(*list));
	if (!list) {
		rt_bs->free_pool(handles);
		return cb_errf(e, CB_ENOMEM, "no memory for %llu disks", (unsigned long long)n);
	}
	size_t found = 0;
	for (uint64_t i = 0; i < n; i++) {
		efi_block_io *bio = NULL;
		if (rt_bs->handle_protocol(handles[i], &bio_guid, (void **)&bio) != EFI_SUCCESS || !bio)
			continue;
		struct efi_disk *d = efi_disk_new(bio, found);
		if (d)
			list[found++] = &d->dev;
	}
	rt_bs->free_pool(handles);
	*disks = list;
	*count = found;
	return CB_OK;
}

void blockdev_efi_close_all(struct cb_blockdev **disks, size_t count)
{
	for (size_t i = 0; i < count; i++)
		disks[i]->close(disks[i]);
	free(disks);
}
