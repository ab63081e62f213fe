/* efi.h: the UEFI types, tables and boot/runtime services cloud-boot uses (UEFI 2.10 layouts).
 * Written from the specification; only the runtime/, drivers/ and boot/ layers include it, never fs/ or oci/. */
#ifndef CB_EFI_H
#define CB_EFI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <arch/efi_abi.h> /* EFIAPI: the firmware calling convention of this CPU */

typedef uint64_t efi_status;
typedef void *efi_handle;
typedef void *efi_event;
typedef uint64_t efi_physical_addr;
typedef uint64_t efi_virtual_addr;
typedef uint16_t char16;
typedef uint64_t efi_tpl;

typedef struct {
	uint32_t d1;
	uint16_t d2;
	uint16_t d3;
	uint8_t d4[8];
} efi_guid;

#define EFI_GUID(a, b, c, d0, d1, d2, d3, d4, d5, d6, d7) \
	((efi_guid){(a), (b), (c), {(d0), (d1), (d2), (d3), (d4), (d5), (d6), (d7)}})

#define EFI_ERROR_BIT (1ULL << 63)
#define EFI_ERR(n) (EFI_ERROR_BIT | (n))
#define EFI_ERROR(s) (((s) & EFI_ERROR_BIT) != 0)

#define EFI_SUCCESS 0ULL
#define EFI_LOAD_ERROR EFI_ERR(1)
#define EFI_INVALID_PARAMETER EFI_ERR(2)
#define EFI_UNSUPPORTED EFI_ERR(3)
#define EFI_BAD_BUFFER_SIZE EFI_ERR(4)
#define EFI_BUFFER_TOO_SMALL EFI_ERR(5)
#define EFI_NOT_READY EFI_ERR(6)
#define EFI_DEVICE_ERROR EFI_ERR(7)
#define EFI_WRITE_PROTECTED EFI_ERR(8)
#define EFI_OUT_OF_RESOURCES EFI_ERR(9)
#define EFI_VOLUME_CORRUPTED EFI_ERR(10)
#define EFI_VOLUME_FULL EFI_ERR(11)
#define EFI_NO_MEDIA EFI_ERR(12)
#define EFI_MEDIA_CHANGED EFI_ERR(13)
#define EFI_NOT_FOUND EFI_ERR(14)
#define EFI_ACCESS_DENIED EFI_ERR(15)
#define EFI_NO_RESPONSE EFI_ERR(16)
#define EFI_NO_MAPPING EFI_ERR(17)
#define EFI_TIMEOUT EFI_ERR(18)
#define EFI_NOT_STARTED EFI_ERR(19)
#define EFI_ALREADY_STARTED EFI_ERR(20)
#define EFI_ABORTED EFI_ERR(21)
#define EFI_ICMP_ERROR EFI_ERR(22)
#define EFI_TFTP_ERROR EFI_ERR(23)
#define EFI_PROTOCOL_ERROR EFI_ERR(24)
#define EFI_INCOMPATIBLE_VERSION EFI_ERR(25)
#define EFI_SECURITY_VIOLATION EFI_ERR(26)
#define EFI_CRC_ERROR EFI_ERR(27)
#define EFI_END_OF_MEDIA EFI_ERR(28)
#define EFI_END_OF_FILE EFI_ERR(31)
#define EFI_INVALID_LANGUAGE EFI_ERR(32)
#define EFI_COMPROMISED_DATA EFI_ERR(33)
#define EFI_IP_ADDRESS_CONFLICT EFI_ERR(34)
#define EFI_HTTP_ERROR EFI_ERR(35)

typedef struct {
	uint64_t signature;
	uint32_t revision;
	uint32_t header_size;
	uint32_t crc32;
	uint32_t reserved;
} efi_table_header;

/* Memory */
typedef enum {
	EFI_RESERVED_MEMORY_TYPE,
	EFI_LOADER_CODE,
	EFI_LOADER_DATA,
	EFI_BOOT_SERVICES_CODE,
	EFI_BOOT_SERVICES_DATA,
	EFI_RUNTIME_SERVICES_CODE,
	EFI_RUNTIME_SERVICES_DATA,
	EFI_CONVENTIONAL_MEMORY,
	EFI_UNUSABLE_MEMORY,
	EFI_ACPI_RECLAIM_MEMORY,
	EFI_ACPI_MEMORY_NVS,
	EFI_MEMORY_MAPPED_IO,
	EFI_MEMORY_MAPPED_IO_PORT_SPACE,
	EFI_PAL_CODE,
	EFI_PERSISTENT_MEMORY,
	EFI_UNACCEPTED_MEMORY,
	EFI_MAX_MEMORY_TYPE
} efi_memory_type;

typedef enum { EFI_ALLOCATE_ANY_PAGES, EFI_ALLOCATE_MAX_ADDRESS, EFI_ALLOCATE_ADDRESS } efi_allocate_type;

typedef struct {
	uint32_t type;
	uint32_t pad;
	efi_physical_addr physical_start;
	efi_virtual_addr virtual_start;
	uint64_t number_of_pages;
	uint64_t attribute;
} efi_memory_descriptor;

#define EFI_PAGE_SIZE 4096ULL

/* Device paths */
typedef struct {
	uint8_t type;
	uint8_t subtype;
	uint8_t length[2];
} efi_device_path;

#define EFI_DP_TYPE_HARDWARE 0x01
#define EFI_DP_TYPE_ACPI 0x02
#define EFI_DP_TYPE_MESSAGING 0x03
#define EFI_DP_TYPE_MEDIA 0x04
#define EFI_DP_TYPE_END 0x7f
#define EFI_DP_SUBTYPE_END_ENTIRE 0xff
#define EFI_DP_SUBTYPE_END_INSTANCE 0x01
#define EFI_DP_MSG_UART 14

/* Time */
typedef struct {
	uint16_t year;
	uint8_t month, day, hour, minute, second, pad1;
	uint32_t nanosecond;
	int16_t time_zone;
	uint8_t daylight, pad2;
} efi_time;

typedef struct {
	uint32_t resolution;
	uint32_t accuracy;
	bool sets_to_zero;
} efi_time_capabilities;

/* Console */
typedef struct {
	uint16_t scan_code;
	char16 unicode_char;
} efi_input_key;

typedef struct efi_simple_text_input efi_simple_text_input;
struct efi_simple_text_input {
	efi_status(EFIAPI *reset)(efi_simple_text_input *self, bool extended);
	efi_status(EFIAPI *read_key_stroke)(efi_simple_text_input *self, efi_input_key *key);
	efi_event wait_for_key;
};

typedef struct {
	int32_t max_mode, mode, attribute, cursor_column, cursor_row;
	bool cursor_visible;
} efi_simple_text_output_mode;

typedef struct efi_simple_text_output efi_simple_text_output;
struct efi_simple_text_output {
	efi_status(EFIAPI *reset)(efi_simple_text_output *self, bool extended);
	efi_status(EFIAPI *output_string)(efi_simple_text_output *self, const char16 *s);
	efi_status(EFIAPI *test_string)(efi_simple_text_output *self, const char16 *s);
	efi_status(EFIAPI *query_mode)(efi_simple_text_output *self, uint64_t mode, uint64_t *cols, uint64_t *rows);
	efi_status(EFIAPI *set_mode)(efi_simple_text_output *self, uint64_t mode);
	efi_status(EFIAPI *set_attribute)(efi_simple_text_output *self, uint64_t attribute);
	efi_status(EFIAPI *clear_screen)(efi_simple_text_output *self);
	efi_status(EFIAPI *set_cursor_position)(efi_simple_text_output *self, uint64_t col, uint64_t row);
	efi_status(EFIAPI *enable_cursor)(efi_simple_text_output *self, bool visible);
	efi_simple_text_output_mode *mode;
};

/* Services */
typedef enum { EFI_ALL_HANDLES, EFI_BY_REGISTER_NOTIFY, EFI_BY_PROTOCOL } efi_locate_search_type;
typedef enum { EFI_NATIVE_INTERFACE } efi_interface_type;
typedef enum { EFI_TIMER_CANCEL, EFI_TIMER_PERIODIC, EFI_TIMER_RELATIVE } efi_timer_delay;
typedef enum { EFI_RESET_COLD, EFI_RESET_WARM, EFI_RESET_SHUTDOWN, EFI_RESET_PLATFORM_SPECIFIC } efi_reset_type;

#define EFI_OPEN_PROTOCOL_BY_HANDLE_PROTOCOL 0x01
#define EFI_OPEN_PROTOCOL_GET_PROTOCOL 0x02
#define EFI_OPEN_PROTOCOL_TEST_PROTOCOL 0x04
#define EFI_OPEN_PROTOCOL_BY_CHILD_CONTROLLER 0x08
#define EFI_OPEN_PROTOCOL_BY_DRIVER 0x10
#define EFI_OPEN_PROTOCOL_EXCLUSIVE 0x20

typedef struct {
	efi_handle agent_handle;
	efi_handle controller_handle;
	uint32_t attributes;
	uint32_t open_count;
} efi_open_protocol_information_entry;

typedef void(EFIAPI *efi_event_notify)(efi_event event, void *context);

typedef struct {
	efi_table_header hdr;
	efi_tpl(EFIAPI *raise_tpl)(efi_tpl new_tpl);
	void(EFIAPI *restore_tpl)(efi_tpl old_tpl);
	efi_status(EFIAPI *allocate_pages)(efi_allocate_type type, efi_memory_type mem, uint64_t pages,
	                                   efi_physical_addr *addr);
	efi_status(EFIAPI *free_pages)(efi_physical_addr addr, uint64_t pages);
	efi_status(EFIAPI *get_memory_map)(uint64_t *size, efi_memory_descriptor *map, uint64_t *key,
	                                   uint64_t *desc_size, uint32_t *desc_version);
	efi_status(EFIAPI *allocate_pool)(efi_memory_type mem, uint64_t size, void **buf);
	efi_status(EFIAPI *free_pool)(void *buf);
	efi_status(EFIAPI *create_event)(uint32_t type, efi_tpl tpl, efi_event_notify fn, void *ctx, efi_event *ev);
	efi_status(EFIAPI *set_timer)(efi_event ev, efi_timer_delay type, uint64_t trigger_time);
	efi_status(EFIAPI *wait_for_event)(uint64_t n, efi_event *events, uint64_t *index);
	efi_status(EFIAPI *signal_event)(efi_event ev);
	efi_status(EFIAPI *close_event)(efi_event ev);
	efi_status(EFIAPI *check_event)(efi_event ev);
	efi_status(EFIAPI *install_protocol_interface)(efi_handle *h, const efi_guid *proto, efi_interface_type t,
	                                               void *iface);
	efi_status(EFIAPI *reinstall_protocol_interface)(efi_handle h, const efi_guid *proto, void *old_iface,
	                                                 void *new_iface);
	efi_status(EFIAPI *uninstall_protocol_interface)(efi_handle h, const efi_guid *proto, void *iface);
	efi_status(EFIAPI *handle_protocol)(efi_handle h, const efi_guid *proto, void **iface);
	void *reserved;
	efi_status(EFIAPI *register_protocol_notify)(const efi_guid *proto, efi_event ev, void **registration);
	efi_status(EFIAPI *locate_handle)(efi_locate_search_type t, const efi_guid *proto, void *key, uint64_t *size,
	                                  efi_handle *buf);
	efi_status(EFIAPI *locate_device_path)(const efi_guid *proto, efi_device_path **dp, efi_handle *h);
	efi_status(EFIAPI *install_configuration_table)(const efi_guid *guid, void *table);
	efi_status(EFIAPI *load_image)(bool boot_policy, efi_handle parent, efi_device_path *dp, void *src,
	                               uint64_t src_size, efi_handle *image);
	efi_status(EFIAPI *start_image)(efi_handle image, uint64_t *exit_data_size, char16 **exit_data);
	efi_status(EFIAPI *exit)(efi_handle image, efi_status status, uint64_t exit_data_size, char16 *exit_data);
	efi_status(EFIAPI *unload_image)(efi_handle image);
	efi_status(EFIAPI *exit_boot_services)(efi_handle image, uint64_t map_key);
	efi_status(EFIAPI *get_next_monotonic_count)(uint64_t *count);
	efi_status(EFIAPI *stall)(uint64_t microseconds);
	efi_status(EFIAPI *set_watchdog_timer)(uint64_t timeout, uint64_t code, uint64_t data_size, char16 *data);
	efi_status(EFIAPI *connect_controller)(efi_handle controller, efi_handle *driver, efi_device_path *remaining,
	                                       bool recursive);
	efi_status(EFIAPI *disconnect_controller)(efi_handle controller, efi_handle driver, efi_handle child);
	efi_status(EFIAPI *open_protocol)(efi_handle h, const efi_guid *proto, void **iface, efi_handle agent,
	                                  efi_handle controller, uint32_t attributes);
	efi_status(EFIAPI *close_protocol)(efi_handle h, const efi_guid *proto, efi_handle agent,
	                                   efi_handle controller);
	efi_status(EFIAPI *open_protocol_information)(efi_handle h, const efi_guid *proto,
	                                              efi_open_protocol_information_entry **buf, uint64_t *count);
	efi_status(EFIAPI *protocols_per_handle)(efi_handle h, efi_guid ***buf, uint64_t *count);
	efi_status(EFIAPI *locate_handle_buffer)(efi_locate_search_type t, const efi_guid *proto, void *key,
	                                         uint64_t *count, efi_handle **buf);
	efi_status(EFIAPI *locate_protocol)(const efi_guid *proto, void *registration, void **iface);
	efi_status(EFIAPI *install_multiple_protocol_interfaces)(efi_handle *h, ...);
	efi_status(EFIAPI *uninstall_multiple_protocol_interfaces)(efi_handle h, ...);
	efi_status(EFIAPI *calculate_crc32)(const void *data, uint64_t size, uint32_t *crc);
	void(EFIAPI *copy_mem)(void *dst, const void *src, uint64_t len);
	void(EFIAPI *set_mem)(void *buf, uint64_t len, uint8_t value);
	efi_status(EFIAPI *create_event_ex)(uint32_t type, efi_tpl tpl, efi_event_notify fn, const void *ctx,
	                                    const efi_guid *group, efi_event *ev);
} efi_boot_services;

#define EFI_VARIABLE_NON_VOLATILE 0x1
#define EFI_VARIABLE_BOOTSERVICE_ACCESS 0x2
#define EFI_VARIABLE_RUNTIME_ACCESS 0x4

typedef struct {
	efi_table_header hdr;
	efi_status(EFIAPI *get_time)(efi_time *time, efi_time_capabilities *caps);
	efi_status(EFIAPI *set_time)(efi_time *time);
	efi_status(EFIAPI *get_wakeup_time)(bool *enabled, bool *pending, efi_time *time);
	efi_status(EFIAPI *set_wakeup_time)(bool enable, efi_time *time);
	efi_status(EFIAPI *set_virtual_address_map)(uint64_t size, uint64_t desc_size, uint32_t version,
	                                            efi_memory_descriptor *map);
	efi_status(EFIAPI *convert_pointer)(uint64_t debug, void **addr);
	efi_status(EFIAPI *get_variable)(const char16 *name, const efi_guid *vendor, uint32_t *attributes,
	                                 uint64_t *size, void *data);
	efi_status(EFIAPI *get_next_variable_name)(uint64_t *size, char16 *name, efi_guid *vendor);
	efi_status(EFIAPI *set_variable)(const char16 *name, const efi_guid *vendor, uint32_t attributes,
	                                 uint64_t size, const void *data);
	efi_status(EFIAPI *get_next_high_monotonic_count)(uint32_t *count);
	void(EFIAPI *reset_system)(efi_reset_type type, efi_status status, uint64_t size, const void *data);
	void *update_capsule;
	void *query_capsule_capabilities;
	efi_status(EFIAPI *query_variable_info)(uint32_t attributes, uint64_t *max_storage, uint64_t *remaining,
	                                        uint64_t *max_size);
} efi_runtime_services;

typedef struct {
	efi_guid vendor_guid;
	void *vendor_table;
} efi_configuration_table;

typedef struct {
	efi_table_header hdr;
	char16 *firmware_vendor;
	uint32_t firmware_revision;
	efi_handle console_in_handle;
	efi_simple_text_input *con_in;
	efi_handle console_out_handle;
	efi_simple_text_output *con_out;
	efi_handle standard_error_handle;
	efi_simple_text_output *std_err;
	efi_runtime_services *runtime_services;
	efi_boot_services *boot_services;
	uint64_t number_of_table_entries;
	efi_configuration_table *configuration_table;
} efi_system_table;

#define EFI_EVT_TIMER 0x80000000U
#define EFI_TPL_APPLICATION 4
#define EFI_TPL_CALLBACK 8
#define EFI_TPL_NOTIFY 16

static inline bool efi_guid_eq(const efi_guid *a, const efi_guid *b)
{
	const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b;
	for (size_t i = 0; i < sizeof(efi_guid); i++)
		if (x[i] != y[i])
			return false;
	return true;
}

#endif
