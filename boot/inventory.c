/* inventory.c: prints the memory-map summary and the handle count of every protocol the loader needs,
 * so a log from any firmware shows at a glance what the loader had to work with. */
#include "inventory.h"

#include "clock.h"
#include "console.h"
#include "efi/protocols.h"
#include "log.h"
#include "memmap.h"
#include "rt.h"

#include <stdio.h>

void inventory_memory(void)
{
	struct memmap m;
	efi_status s = memmap_get(&m);
	if (s != EFI_SUCCESS) {
		log_warn("memory map: %s", efi_status_str(s));
		return;
	}
	uint64_t free_pages = 0, boot_pages = 0, loader_pages = 0, runtime_pages = 0, other_pages = 0;
	uint64_t largest_free = 0;
	for (size_t i = 0; i < memmap_count(&m); i++) {
		const efi_memory_descriptor *d = memmap_at(&m, i);
		switch (d->type) {
		case EFI_CONVENTIONAL_MEMORY:
			free_pages += d->number_of_pages;
			if (d->number_of_pages > largest_free)
				largest_free = d->number_of_pages;
			break;
		case EFI_BOOT_SERVICES_CODE:
		case EFI_BOOT_SERVICES_DATA:
			boot_pages += d->number_of_pages;
			break;
		case EFI_LOADER_CODE:
		case EFI_LOADER_DATA:
			loader_pages += d->number_of_pages;
			break;
		case EFI_RUNTIME_SERVICES_CODE:
		case EFI_RUNTIME_SERVICES_DATA:
			runtime_pages += d->number_of_pages;
			break;
		default:
			if (d->type != EFI_MEMORY_MAPPED_IO && d->type != EFI_MEMORY_MAPPED_IO_PORT_SPACE)
				other_pages += d->number_of_pages;
			break;
		}
	}
	log_info("memory: %zu descriptors, free %llu MiB (largest %llu MiB), boot services %llu MiB, "
	         "loader %llu KiB, runtime %llu KiB, reserved/ACPI %llu KiB",
	         memmap_count(&m), (unsigned long long)(free_pages >> 8), (unsigned long long)(largest_free >> 8),
	         (unsigned long long)(boot_pages >> 8), (unsigned long long)(loader_pages * 4),
	         (unsigned long long)(runtime_pages * 4), (unsigned long long)(other_pages * 4));
	memmap_free(&m);
}

void inventory_protocols(void)
{
	static const struct {
		const char *name;
		efi_guid guid;
	} protos[] = {
		{"pci-io", EFI_PCI_IO_PROTOCOL_GUID},
		{"snp", EFI_SIMPLE_NETWORK_PROTOCOL_GUID},
		{"block-io", EFI_BLOCK_IO_PROTOCOL_GUID},
		{"simple-fs", EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID},
		{"load-file2", EFI_LOAD_FILE2_PROTOCOL_GUID},
		{"rng", EFI_RNG_PROTOCOL_GUID},
		{"serial-io", EFI_SERIAL_IO_PROTOCOL_GUID},
	};
	char line[256];
	size_t len = 0;
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		efi_handle *handles;
		uint64_t n = rt_handles_for(&protos[i].guid, &handles);
		if (handles)
			rt_bs->free_pool(handles);
		int w = snprintf(line + len, sizeof(line) - len, " %s=%llu", protos[i].name, (unsigned long long)n);
		if (w > 0 && (size_t)w < sizeof(line) - len)
			len += (size_t)w;
	}
	log_info("protocols:%s", line);
	uint64_t cols, rows;
	console_columns(&cols, &rows);
	log_info("console: %s %llux%llu; clock: %llu Hz counter", console_kind(),
	         (unsigned long long)cols, (unsigned long long)rows, (unsigned long long)clock_counter_hz());
}
