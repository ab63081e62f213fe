/* elf2efi test input: a tiny freestanding program compiled and linked at test time for each CPU, with
 * pointer tables (R_*_RELATIVE relocations spread over several pages), .rodata, .data, relro and .bss. */
typedef unsigned long u64;

static const char greeting[] = "cloud-boot elf2efi sample";
static char scratch[20000]; /* .bss: the data segment's p_memsz > p_filesz */
int counter = 3;           /* .data */

static int add1(int x) { return x + 1; }
static int twice(int x) { return x * 2; }

static int (*const ops[])(int) = {add1, twice}; /* .data.rel.ro: relocated, then read-only */
const char *strings[] = {greeting, greeting + 6, scratch, scratch + 19999};
/* More than one 4 KiB page of pointers, with odd and even counts per page. */
const char *spread[1200] = {
	[0] = greeting, [1] = greeting + 1, [2] = greeting + 2, [511] = scratch, [512] = greeting + 3,
	[1000] = scratch + 7, [1199] = greeting + 4,
};
static const char *const *const tables[] = {strings, spread};

u64 efi_main(void *image, void *systab)
{
	u64 acc = (u64)ops[counter & 1](counter);

	(void)image;
	(void)systab;
	for (int i = 0; i < 2; i++)
		acc += (u64)tables[i][0][0];
	if (spread[1000])
		acc += (u64)spread[1000][0];
	scratch[counter] = (char)acc;
	return acc;
}
