/* clock.c: converts the per-CPU counter (arch/<cpu>/include/arch/cpu.h) to time since loader start.
 * Where the CPU does not say how fast the counter runs, the firmware's device tree may (riscv64's
 * /cpus/timebase-frequency); failing both, it is measured once against a 10 ms firmware Stall. */
#include "clock.h"

#include <arch/cpu.h>

#include "cb_checked.h"
#include "fdt.h"
#include "rt.h"

#define EFI_DTB_TABLE_GUID EFI_GUID(0xb1b621d5, 0xf19c, 0x41a5, 0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0)

static uint64_t dtb_timebase(void)
{
	efi_guid dtb_guid = EFI_DTB_TABLE_GUID;
	for (uint64_t i = 0; i < rt_st->number_of_table_entries; i++) {
		const efi_configuration_table *t = &rt_st->configuration_table[i];
		if (!efi_guid_eq(&t->vendor_guid, &dtb_guid) || !t->vendor_table)
			continue;
		uint32_t total = cb_be32((const uint8_t *)t->vendor_table + 4);
		if (total > (16u << 20))
			continue; /* not a DTB a firmware would hand over: do not walk that far */
		uint64_t hz = 0;
		struct cb_err e;
		if (fdt_read_uint(t->vendor_table, total, "/cpus", "timebase-frequency", &hz, &e) == CB_OK)
			return hz;
	}
	return 0;
}

static uint64_t start_count;
static uint64_t hz = 1;

void clock_init(void)
{
	uint64_t f = arch_counter_hz();
	if (f == 0)
		f = dtb_timebase();
	if (f == 0) {
		uint64_t a = arch_counter();
		rt_bs->stall(10000);
		uint64_t b = arch_counter();
		f = (b - a) * 100;
	}
	hz = f ? f : 1;
	start_count = arch_counter();
}

uint64_t clock_counter_hz(void) { return hz; }

/* (ticks * unit / hz) without overflowing 64 bits for any realistic uptime. */
static uint64_t ticks_to(uint64_t ticks, uint64_t unit) { return ticks / hz * unit + ticks % hz * unit / hz; }

uint64_t clock_ms(void) { return ticks_to(arch_counter() - start_count, 1000); }
uint64_t clock_us(void) { return ticks_to(arch_counter() - start_count, 1000000); }
