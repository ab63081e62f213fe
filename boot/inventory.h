/* inventory.h: one-line summaries of what the firmware gives the loader (memory, protocols). */
#ifndef CB_INVENTORY_H
#define CB_INVENTORY_H

void inventory_memory(void);
void inventory_protocols(void);

#endif
