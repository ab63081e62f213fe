/* libc_env_efi.c: what runtime/libc needs from its surroundings, provided over UEFI boot services:
 * pages for the heap, abort, and printf output. */
#include "libc/libc_env.h"

#include <stdint.h>

#include "console.h"
#include "rt.h"

void *libc_env_pages_alloc(size_t npages)
{
	efi_physical_addr addr = 0;
	if (rt_bs->allocate_pages(EFI_ALLOCATE_ANY_PAGES, EFI_LOADER_DATA, npages, &addr) != EFI_SUCCESS)
		return NULL;
	return (void *)(uintptr_t)addr;
}

void libc_env_pages_free(void *p, size_t npages)
{
	rt_bs->free_pages((efi_physical_addr)(uintptr_t)p, npages);
}

_Noreturn void libc_env_abort(const char *why) { rt_panic("%s", why); }

void libc_env_write(const char *s, size_t len) { console_write(s, len); }
