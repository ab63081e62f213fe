/* menu.c: draws the target menu on ConOut (plain lines, so a serial console shows it too), reads keys from
 * ConIn without blocking and drives menu_model. No plan logic beyond listing the targets. */
#include "menu.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "console.h"
#include "log.h"
#include "menu_model.h"
#include "rt.h"

#define MENU_MAX 64
#define SCAN_UP 1
#define SCAN_DOWN 2
#define SCAN_HOME 5
#define SCAN_END 6
#define SCAN_ESC 0x17

static void draw_entry(const struct plan_target *t, size_t i, bool sel, bool dflt)
{
	log_info("%c %zu) %-16s %s%s", sel ? '>' : ' ', i + 1, t->name, t->label ? t->label : "",
	         dflt ? "  [default]" : "");
}

/* A key from ConIn, or false when none is waiting. */
static bool read_key(enum menu_key *k, unsigned *digit)
{
	efi_input_key key;
	if (!rt_st->con_in || rt_st->con_in->read_key_stroke(rt_st->con_in, &key) != EFI_SUCCESS)
		return false;
	*digit = 0;
	if (key.scan_code == SCAN_UP)
		*k = MENU_KEY_UP;
	else if (key.scan_code == SCAN_DOWN)
		*k = MENU_KEY_DOWN;
	else if (key.scan_code == SCAN_HOME)
		*k = MENU_KEY_HOME;
	else if (key.scan_code == SCAN_END)
		*k = MENU_KEY_END;
	else if (key.scan_code == SCAN_ESC)
		*k = MENU_KEY_ESC;
	else if (key.unicode_char == u'\r' || key.unicode_char == u'\n')
		*k = MENU_KEY_ENTER;
	else if (key.unicode_char >= u'0' && key.unicode_char <= u'9') {
		*k = MENU_KEY_DIGIT;
		*digit = key.unicode_char - u'0';
	} else
		*k = MENU_KEY_OTHER;
	return true;
}

int menu_choose(const struct plan *p, uint32_t timeout_s, const struct plan_target **out, struct cb_err *e)
{
	const struct plan_target *list[MENU_MAX];
	size_t total = plan_targets_for_arch(p, p->arch, list, MENU_MAX);
	size_t n = total < MENU_MAX ? total : MENU_MAX;
	if (n == 0)
		return cb_errf(e, CB_ENOENT, "plan: no target runs on %s", p->arch);
	size_t dflt = 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i]->name, p->default_target) == 0)
			dflt = i;
	if (n == 1 || timeout_s == 0) {
		*out = list[n == 1 ? 0 : dflt];
		return CB_OK;
	}

	struct menu_model m;
	menu_init(&m, n, dflt, timeout_s * 1000, clock_ms());
	log_info("Targets (%zu%s): arrows or 1-9 to choose, Enter to boot, Esc to go back to the firmware", n,
	         total > n ? ", first 64 shown" : "");
	for (size_t i = 0; i < n; i++)
		draw_entry(list[i], i, i == m.sel, i == dflt);
	uint32_t shown = 0;
	enum menu_result r = MENU_CONTINUE;
	if (rt_st->con_in)
		rt_st->con_in->reset(rt_st->con_in, false);
	while (r == MENU_CONTINUE) {
		uint32_t left = menu_seconds_left(&m, clock_ms());
		if (m.counting && left && left != shown) {
			char line[96];
			int len = snprintf(line, sizeof(line), "\rBooting %s in %u s ", list[m.sel]->name, left);
			console_write(line, (size_t)len);
			shown = left;
		}
		enum menu_key k;
		unsigned digit;
		if (read_key(&k, &digit)) {
			bool was_counting = m.counting;
			size_t before = m.sel;
			r = menu_key(&m, k, digit);
			if (was_counting)
				console_write("\r\n", 2);
			if (r == MENU_CONTINUE && m.sel != before)
				draw_entry(list[m.sel], m.sel, true, m.sel == dflt);
		} else {
			r = menu_tick(&m, clock_ms());
			if (r == MENU_CONTINUE)
				rt_bs->stall(20000);
			else
				console_write("\r\n", 2);
		}
	}
	if (r == MENU_CANCEL)
		return cb_errf(e, CB_ENOENT, "menu: cancelled");
	*out = list[m.sel];
	log_info("menu: %s", list[m.sel]->name);
	return CB_OK;
}
