/* iso_layout.c: where everything goes in a cloud-boot ISO: the ESP size rule (files × 1.5 + 8 MiB, rounded
 * up to 16 MiB) and the block/sector numbers the ISO 9660, El Torito and GPT writers share. Arithmetic only. */
#include "cb_checked.h"
#include "iso.h"

int iso_esp_size(uint64_t total, uint64_t *esp_bytes, struct cb_err *e)
{
	uint64_t t3, need, rounded;
	if (!cb_mul_ok(total, 3, &t3) || !cb_add_ok(t3 / 2 + (t3 & 1), (uint64_t)ISO_ESP_EXTRA, &need) ||
	    !cb_add_ok(need, (uint64_t)ISO_ESP_ROUND - 1, &rounded) || rounded / ISO_ESP_ROUND * ISO_ESP_ROUND > ISO_ESP_MAX)
		return cb_errf(e, CB_ELIMIT, "%llu bytes of EFI files need an ESP larger than the %llu MiB an ISO 9660 "
			       "file can hold", (unsigned long long)total, (unsigned long long)(ISO_ESP_MAX >> 20));
	*esp_bytes = rounded / ISO_ESP_ROUND * ISO_ESP_ROUND;
	return 0;
}

int iso_layout_make(uint64_t esp_bytes, struct iso_layout *l, struct cb_err *e)
{
	if (esp_bytes == 0 || esp_bytes % ISO_ESP_ROUND || esp_bytes > ISO_ESP_MAX)
		return cb_errf(e, CB_EINVAL, "ESP size %llu is not a multiple of %u MiB in 16..%llu MiB",
			       (unsigned long long)esp_bytes, ISO_ESP_ROUND >> 20, (unsigned long long)(ISO_ESP_MAX >> 20));
	uint64_t esp_blocks = esp_bytes / ISO_BLOCK, esp_sectors = esp_bytes / ISO_SECTOR;
	l->esp_bytes = esp_bytes;
	l->esp_lba = ISO_LBA_ESP;
	l->volume_blocks = (uint32_t)(ISO_LBA_ESP + esp_blocks);
	l->boot_sectors = esp_sectors <= 0xFFFF ? (uint16_t)esp_sectors : 0;
	/* After the volume: one spare sector, the 62-sector backup entry array and the backup header. */
	uint64_t array_sectors = (uint64_t)ISO_GPT_ENTRIES * 128 / ISO_SECTOR;
	l->disk_sectors = (uint64_t)l->volume_blocks * 4 + 2 + array_sectors;
	l->gap_first = 2 + array_sectors;
	l->gap_last = (uint64_t)ISO_LBA_ESP * 4 - 1;
	l->esp_first = (uint64_t)ISO_LBA_ESP * 4;
	l->esp_last = l->esp_first + esp_sectors - 1;
	return 0;
}
