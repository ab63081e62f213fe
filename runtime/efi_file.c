/* efi_file.c: reads a small file that sits next to the loader (same filesystem, same directory), e.g. the
 * config file \EFI\BOOT\cloudboot.cfg, through the firmware's Simple File System protocol. */
#include "efi_file.h"

#include <stdlib.h>
#include <string.h>

#include "efi/file.h"
#include "efi/protocols.h"
#include "rt.h"

/* The loader's own directory as a UTF-16 path ending in '\', from its file-path device path. */
static size_t loader_dir(efi_loaded_image *li, char16 *out, size_t max)
{
	size_t n = 0;
	const uint8_t *p = (const uint8_t *)li->file_path;
	for (int guard = 0; p && guard < 64; guard++) {
		const efi_device_path *node = (const efi_device_path *)p;
		size_t len = node->length[0] | (size_t)node->length[1] << 8;
		if (node->type == EFI_DP_TYPE_END || len < 4)
			break;
		if (node->type == EFI_DP_TYPE_MEDIA && node->subtype == EFI_DP_MEDIA_FILEPATH) {
			const char16 *s = (const char16 *)(p + 4);
			for (size_t i = 0; i < (len - 4) / 2 && s[i] && n + 2 < max; i++) {
				if (n == 0 && s[i] != u'\\')
					out[n++] = u'\\';
				out[n++] = s[i] == u'/' ? u'\\' : s[i];
			}
		}
		p += len;
	}
	while (n > 0 && out[n - 1] != u'\\')
		n--; /* drop the file name */
	if (n == 0)
		out[n++] = u'\\';
	out[n] = 0;
	return n;
}

efi_status rt_read_loader_file(const char *name, size_t max, char **data, size_t *size)
{
	efi_guid li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID, fs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
	efi_loaded_image *li;
	efi_simple_file_system *fs;
	efi_file *root, *f;
	*data = NULL;
	*size = 0;
	efi_status s = rt_bs->handle_protocol(rt_image, &li_guid, (void **)&li);
	if (EFI_ERROR(s))
		return s;
	if (!li->device_handle)
		return EFI_NOT_FOUND;
	s = rt_bs->handle_protocol(li->device_handle, &fs_guid, (void **)&fs);
	if (EFI_ERROR(s))
		return s;

	char16 path[256];
	size_t n = loader_dir(li, path, sizeof(path) / sizeof(path[0]));
	for (const char *c = name; *c && n + 1 < sizeof(path) / sizeof(path[0]); c++)
		path[n++] = (char16)(unsigned char)*c;
	path[n] = 0;

	if (EFI_ERROR(s = fs->open_volume(fs, &root)))
		return s;
	s = root->open(root, &f, path, EFI_FILE_MODE_READ, 0);
	root->close(root);
	if (EFI_ERROR(s))
		return s;
	char *buf = malloc(max + 1);
	size_t got = 0;
	if (!buf) {
		f->close(f);
		return EFI_OUT_OF_RESOURCES;
	}
	while (got < max + 1) {
		uint64_t chunk = max + 1 - got;
		s = f->read(f, &chunk, buf + got);
		if (EFI_ERROR(s) || chunk == 0)
			break;
		got += chunk;
	}
	f->close(f);
	if (EFI_ERROR(s) || got > max) {
		free(buf);
		return EFI_ERROR(s) ? s : EFI_BAD_BUFFER_SIZE;
	}
	buf[got] = 0;
	*data = buf;
	*size = got;
	return EFI_SUCCESS;
}
