/* lwipopts.h: cloud-boot's lwIP configuration (NO_SYS raw API, IPv4+IPv6, DHCP, DNS, TCP sized for bulk
 * downloads over a fast virtual NIC). Written for lwIP 2.1.3; option names and sanity checks are 2.1.3's. */
#ifndef CB_LWIPOPTS_H
#define CB_LWIPOPTS_H

/* ---- System model ------------------------------------------------------------------------------------
 * Firmware is single-threaded and the loader polls the NIC from its main loop: no OS, no threads, no
 * interrupts calling into lwIP. So: the raw (callback) API only, no sockets/netconn, and no critical-section
 * protection (SYS_LIGHTWEIGHT_PROT 0 means lwIP never calls sys_arch_protect). lwIP's timers stay on
 * (NO_SYS_NO_TIMERS 0): the main loop calls sys_check_timeouts(), which needs sys_now() (milliseconds),
 * supplied by the port together with the network driver. */
#define NO_SYS 1
#define NO_SYS_NO_TIMERS 0
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define LWIP_NETIF_API 0
#define LWIP_CALLBACK_API 1
#define LWIP_EVENT_API 0

/* ---- Assertions and debug output ---------------------------------------------------------------------
 * LWIP_ASSERT stays ON in every build unless the build defines NDEBUG (meson -Db_ndebug=true), mirroring
 * assert(): lwIP's assertions catch port mistakes (re-entrancy, pbuf misuse by a driver) that otherwise
 * turn into silent memory corruption, they sit almost entirely on slow paths, and a loader that misbehaves
 * quietly is worse than one that stops with file:line. They report through lwip_port_assert() (cc.h).
 * LWIP_DEBUG (LWIP_DEBUGF messages, LWIP_ERROR texts via lwip_port_diag()) is opt-in: build with
 * -DCB_LWIP_DEBUG and turn on the wanted *_DEBUG switches below. */
#ifdef NDEBUG
#define LWIP_NOASSERT 1
#endif
#ifdef CB_LWIP_DEBUG
#define LWIP_DEBUG 1
#define LWIP_DBG_MIN_LEVEL LWIP_DBG_LEVEL_ALL
#define LWIP_DBG_TYPES_ON LWIP_DBG_ON
#endif

/* ---- Protocols ---------------------------------------------------------------------------------------- */
#define LWIP_IPV4 1
#define LWIP_IPV6 1              /* ~30 KB of code; cloud networks are increasingly IPv6-only or dual-stack */
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_RAW 0
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_DHCP 1
#define LWIP_AUTOIP 0
#define LWIP_IGMP 0
#define LWIP_DNS 1
#define LWIP_ALTCP 0             /* TLS is BearSSL driven by our own code on the raw TCP API */

/* DHCP: skip the ARP probe of the offered address. It costs ~0.5 s on every boot (dhcp_check waits for a
 * conflicting reply) and a cloud DHCP server is authoritative for its subnet. Keep the BOOTP "file" field:
 * a DHCP server may point the loader at its configuration. */
#define DHCP_DOES_ARP_CHECK 0
#define LWIP_DHCP_BOOTP_FILE 1
#define LWIP_NETIF_HOSTNAME 1    /* DHCP option 12 */

/* IPv6: SLAAC + stateless DHCPv6 (which supplies DNS servers). lwIP 2.1.3 has no stateful DHCPv6. */
#define LWIP_IPV6_AUTOCONFIG 1
#define LWIP_IPV6_DHCP6 1
#define LWIP_IPV6_DHCP6_STATELESS 1
#define LWIP_IPV6_MLD 1          /* needed for neighbour discovery on NICs that filter multicast */
#define LWIP_IPV6_FRAG 1
#define LWIP_IPV6_REASS 1
/* 64-bit pointers make struct ip6_reass_helper (12 bytes) larger than the 8-byte fragment header it would
 * overlay, so lwIP must copy the header aside (it asserts otherwise, on every reassembly). */
#define IPV6_FRAG_COPYHEADER 1

/* DNS: two servers (DHCPv4 and DHCPv6 each fill from slot 0), four cached names. LWIP_DNS_SECURE defaults
 * to random transaction ids + random source ports, which uses LWIP_RAND (cc.h). */
#define DNS_MAX_SERVERS 2
#define DNS_TABLE_SIZE 4
#define DNS_MAX_NAME_LENGTH 256

#define IP_DEFAULT_TTL 64
#define IP_REASSEMBLY 1          /* large DNS/UDP answers may arrive fragmented */
#define IP_FRAG 1

/* TCP initial sequence numbers from the port's random source instead of lwIP's predictable counter
 * (repeated boots would otherwise reuse the same ISNs). Initial local TCP/UDP ports are randomised by
 * lwIP itself whenever LWIP_RAND is defined, so lwip_port_rand() must work before lwip_init(). */
#define LWIP_HOOK_TCP_ISN(local_ip, local_port, remote_ip, remote_port) ((u32_t)lwip_port_rand())

/* Status/link callbacks for the driver and the boot logic ("DHCP bound", "IPv6 address valid"). */
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK 1
#define LWIP_NETIF_EXT_STATUS_CALLBACK 1

/* ---- Checksums -----------------------------------------------------------------------------------------
 * Software checksums on, generated and checked, for every protocol (lwIP's defaults). Per-netif control is
 * compiled in so a driver that negotiates checksum offload (virtio-net CSUM/GUEST_CSUM) can later switch
 * them off for its netif at run time (NETIF_SET_CHECKSUM_CTRL) without a rebuild. Algorithm 3 sums 32 bits
 * at a time, lwIP's fastest portable variant. */
#define LWIP_CHECKSUM_CTRL_PER_NETIF 1
#define CHECKSUM_GEN_IP 1
#define CHECKSUM_GEN_UDP 1
#define CHECKSUM_GEN_TCP 1
#define CHECKSUM_GEN_ICMP 1
#define CHECKSUM_GEN_ICMP6 1
#define CHECKSUM_CHECK_IP 1
#define CHECKSUM_CHECK_UDP 1
#define CHECKSUM_CHECK_TCP 1
#define CHECKSUM_CHECK_ICMP 1
#define CHECKSUM_CHECK_ICMP6 1
#define LWIP_CHKSUM_ALGORITHM 3
#define LWIP_CHECKSUM_ON_COPY 0  /* we send little; not worth the extra code path yet */

/* ---- Memory: static pools in .bss, no libc malloc ----------------------------------------------------
 * lwIP's own heap (mem.c) and pools (memp.c) are static arrays, so lwIP needs no malloc from the runtime
 * and pool exhaustion is visible in lwip_stats. Total static footprint at the figures below is roughly
 * 300 KB pbuf pool + 256 KB heap + ~30 KB other pools: nothing for a UEFI machine.
 * MEM_ALIGNMENT 8: natural alignment of 64-bit pointers/u64 on all four CPUs; riscv64 and loongarch64
 * firmware may trap (or emulate slowly) on misaligned accesses. */
#define MEM_LIBC_MALLOC 0
#define MEMP_MEM_MALLOC 0
#define MEM_ALIGNMENT 8

/* ---- TCP sizing for throughput on a fast virtual link ---------------------------------------------------
 * TCP_MSS 1460: a full 1500-byte Ethernet MTU minus 20 (IPv4) + 20 (TCP). Over IPv6 lwIP lowers the MSS it
 * uses per connection from the netif MTU (TCP_CALCULATE_EFF_SEND_MSS). */
#define TCP_MSS 1460
#define TCP_CALCULATE_EFF_SEND_MSS 1

/* Receive window 64 * MSS = 93,440 bytes. Downloads are the loader's bulk traffic; on a virtual link the
 * latency is tiny but per-packet processing (TCG, VM exits) is slow, so a window of many segments keeps
 * the sender streaming while we catch up; 64 KiB (the unscaled maximum) stalls senders measurably.
 * Window scaling (RFC 7323) is therefore required. TCP_RCV_SCALE is derived from TCP_WND: the smallest
 * shift with TCP_WND <= 0xFFFF << shift (1 for 93,440), so raising TCP_WND later needs no other edit. */
#define TCP_WND (64 * TCP_MSS)
#define LWIP_WND_SCALE 1
#if (TCP_WND) <= 0xFFFF
#define TCP_RCV_SCALE 0
#elif (TCP_WND) <= (0xFFFF << 1)
#define TCP_RCV_SCALE 1
#elif (TCP_WND) <= (0xFFFF << 2)
#define TCP_RCV_SCALE 2
#elif (TCP_WND) <= (0xFFFF << 3)
#define TCP_RCV_SCALE 3
#else
#define TCP_RCV_SCALE 4
#endif
/* Out-of-sequence segments are queued (not dropped) and SACKed, so one lost frame does not cost a whole
 * window of retransmissions. Queueing is bounded by the window itself. */
#define TCP_QUEUE_OOSEQ 1
#define LWIP_TCP_SACK_OUT 1
#define LWIP_TCP_MAX_SACK_NUM 4
/* Window updates after 4 MSS consumed (lwIP's default min(TCP_WND/4, 4*MSS)), stated for clarity. */
#define TCP_WND_UPDATE_THRESHOLD (4 * TCP_MSS)

/* Send side: we send requests and TLS handshake records, rarely bulk. TCP_SND_BUF 16 * MSS = 23,360 bytes
 * so that one complete TLS record (BearSSL's largest output record is ~16.5 KB) can always be queued with
 * a single tcp_write(). TCP_SND_QUEUELEN 64 = lwIP's default formula 4 * SND_BUF / MSS, comfortably above
 * the sanity minimum 2 * SND_BUF / MSS = 32 (small writes create many small segments). */
#define TCP_SND_BUF (16 * TCP_MSS)
#define TCP_SND_QUEUELEN ((4 * (TCP_SND_BUF) + (TCP_MSS - 1)) / (TCP_MSS))
/* TCP_SNDLOWAT/TCP_SNDQUEUELOWAT keep lwIP's defaults: 11,680 bytes (< 0xFFFF - 4*MSS as required) and 32. */

/* TCP segment descriptors (struct tcp_seg, ~40 bytes each) are used both for queued unsent/unacked data
 * (up to TCP_SND_QUEUELEN) and for the out-of-sequence receive queue (up to TCP_WND / TCP_MSS = 64).
 * 2 * (64 + 64) = 256 covers two connections at full load in both directions. (Sanity #error wants at
 * least TCP_SND_QUEUELEN.) */
#define MEMP_NUM_TCP_SEG (2 * ((TCP_SND_QUEUELEN) + (TCP_WND) / (TCP_MSS)))

/* PCBs: 16 TCP (a few parallel transfers plus connections lingering in TIME_WAIT for 2 MSL; lwIP recycles
 * the oldest TIME_WAIT pcb when out), 2 listeners (a debug/control service at most), 8 UDP (DHCP, DHCPv6,
 * DNS, plus application use such as TFTP). */
#define MEMP_NUM_TCP_PCB 16
#define MEMP_NUM_TCP_PCB_LISTEN 2
#define MEMP_NUM_UDP_PCB 8

/* Receive buffers. PBUF_POOL_BUFSIZE 1536: one pool pbuf holds a whole received frame (1514 bytes with the
 * Ethernet header) with 22 bytes to spare for a VLAN tag or a NIC's metadata header, so the driver never
 * chains pbufs for one frame. The pool must hold a full receive window of payload: the sanity #error needs
 * TCP_WND <= PBUF_POOL_SIZE * (1536 - 74 header bytes) i.e. >= 64 pbufs per fully open window. 192 =
 * 2 windows (two concurrent bulk downloads) + 64 for the NIC driver: a driver that keeps pbufs posted in
 * its receive ring must post at most 64, or it starves TCP of window space. */
#define PBUF_POOL_BUFSIZE 1536
#define PBUF_POOL_SIZE 192

/* lwIP heap (MEM_SIZE): PBUF_RAM allocations, i.e. copied TCP send data (up to TCP_SND_BUF plus headers
 * per busy connection), UDP/DHCP/DNS/ND packets and ARP/ND queued packets. 256 KiB = ~10 connections with
 * full send buffers: far beyond what a loader uses, cheap in .bss. */
#define MEM_SIZE (256 * 1024)

/* PBUF_REF/PBUF_ROM descriptors (zero-copy sends, fragment references, drivers wrapping their own
 * buffers): 64 instead of lwIP's 16. */
#define MEMP_NUM_PBUF 64
/* sys_timeout() slots: lwIP's internal count plus 8 for the loader (transfer/DHCP deadlines). The internal
 * count in 2.1.3 forgets the DHCPv6 timer, which these spares also cover. */
#define MEMP_NUM_SYS_TIMEOUT (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 8)

#define ARP_TABLE_SIZE 10
#define ARP_QUEUEING 0           /* while resolving, keep only the newest packet (a SYN, a DNS query) */

/* ---- Statistics -----------------------------------------------------------------------------------------
 * Counters only (no display code): pool exhaustion and drops are the first thing to look at when
 * throughput is poor. */
#define LWIP_STATS 1
#define LWIP_STATS_DISPLAY 0
#define MIB2_STATS 0

#endif
