/* menu.h: the target menu on the firmware console (labels, arrows or numbers, a countdown to the default). */
#ifndef BOOT_MENU_H
#define BOOT_MENU_H

#include <stdint.h>

#include "cb_err.h"
#include "plan.h"

/* Picks a target of p that runs on p->arch: with one such target, that one without asking; otherwise a menu
 * whose countdown (timeout_s, 0 = none) boots default_target. *out set on 0; CB_ENOENT when the user pressed
 * Esc ("menu: cancelled"), so the loader returns to the firmware. */
int menu_choose(const struct plan *p, uint32_t timeout_s, const struct plan_target **out, struct cb_err *e);

#endif
