/* snp.h: EFI_SIMPLE_NETWORK_PROTOCOL (UEFI 2.10 §24.1), the firmware's raw Ethernet frame interface: our
 * fallback NIC where there is no PCI IO (U-Boot) or no driver of ours for the device. */
#ifndef CB_EFI_SNP_H
#define CB_EFI_SNP_H

#include "efi.h"

typedef struct {
	uint8_t addr[32];
} efi_mac_address;

typedef enum { EFI_SNP_STOPPED, EFI_SNP_STARTED, EFI_SNP_INITIALIZED } efi_snp_state;

typedef struct {
	uint32_t state;
	uint32_t hw_address_size;
	uint32_t media_header_size;
	uint32_t max_packet_size;
	uint32_t nv_ram_size;
	uint32_t nv_ram_access_size;
	uint32_t receive_filter_mask;
	uint32_t receive_filter_setting;
	uint32_t max_mcast_filter_count;
	uint32_t mcast_filter_count;
	efi_mac_address mcast_filter[16];
	efi_mac_address current_address;
	efi_mac_address broadcast_address;
	efi_mac_address permanent_address;
	uint8_t if_type;
	bool mac_address_changeable;
	bool multiple_tx_supported;
	bool media_present_supported;
	bool media_present;
} efi_snp_mode;

#define EFI_SNP_RECEIVE_UNICAST 0x01
#define EFI_SNP_RECEIVE_MULTICAST 0x02
#define EFI_SNP_RECEIVE_BROADCAST 0x04
#define EFI_SNP_RECEIVE_PROMISCUOUS 0x08
#define EFI_SNP_RECEIVE_PROMISCUOUS_MULTICAST 0x10

typedef struct efi_snp efi_snp;
struct efi_snp {
	uint64_t revision;
	efi_status(EFIAPI *start)(efi_snp *self);
	efi_status(EFIAPI *stop)(efi_snp *self);
	efi_status(EFIAPI *initialize)(efi_snp *self, uint64_t extra_rx, uint64_t extra_tx);
	efi_status(EFIAPI *reset)(efi_snp *self, bool extended_verification);
	efi_status(EFIAPI *shutdown)(efi_snp *self);
	efi_status(EFIAPI *receive_filters)(efi_snp *self, uint32_t enable, uint32_t disable, bool reset_mcast,
	                                    uint64_t mcast_count, efi_mac_address *mcast);
	void *station_address;
	void *statistics;
	void *mcast_ip_to_mac;
	void *nv_data;
	efi_status(EFIAPI *get_status)(efi_snp *self, uint32_t *interrupt_status, void **tx_buf);
	efi_status(EFIAPI *transmit)(efi_snp *self, uint64_t header_size, uint64_t buffer_size, void *buffer,
	                             efi_mac_address *src, efi_mac_address *dst, uint16_t *protocol);
	efi_status(EFIAPI *receive)(efi_snp *self, uint64_t *header_size, uint64_t *buffer_size, void *buffer,
	                            efi_mac_address *src, efi_mac_address *dst, uint16_t *protocol);
	efi_event wait_for_packet;
	efi_snp_mode *mode;
};

#endif
