/* efi_util.c: small helpers over boot services shared by the loader: handle lookup, UTF-16 to ASCII. */
#include "rt.h"

uint64_t rt_handles_for(const efi_guid *proto, efi_handle **handles)
{
	uint64_t count = 0;
	*handles = NULL;
	if (rt_bs->locate_handle_buffer(EFI_BY_PROTOCOL, proto, NULL, &count, handles) != EFI_SUCCESS)
		return 0;
	return count;
}

char *rt_char16_to_ascii(const char16 *s, char *buf, size_t size)
{
	size_t i = 0;
	if (size == 0)
		return buf;
	for (; s && s[i] && i + 1 < size; i++)
		buf[i] = s[i] < 0x20 || s[i] > 0x7e ? '?' : (char)s[i];
	buf[i] = 0;
	return buf;
}
