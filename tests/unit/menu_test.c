/* menu_test.c: boot/menu_model.c's state machine: keys and time in, highlight and decisions out. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "menu_model.h"

struct step {
	char op;        /* 'k' key, 't' tick at `ms` */
	enum menu_key key;
	unsigned digit;
	uint64_t ms;
	enum menu_result want;
	size_t want_sel;
};

struct scenario {
	const char *name;
	size_t n, dflt;
	uint32_t timeout_ms;
	struct step steps[8];
	size_t nsteps;
};

static const struct scenario scenarios[] = {
	{ "countdown boots the default", 3, 1, 2000,
	  { { 't', 0, 0, 1999, MENU_CONTINUE, 1 }, { 't', 0, 0, 2000, MENU_BOOT, 1 } }, 2 },
	{ "no timeout boots at once", 2, 1, 0, { { 't', 0, 0, 0, MENU_BOOT, 1 } }, 1 },
	{ "a key stops the countdown", 3, 0, 1000,
	  { { 'k', MENU_KEY_OTHER, 0, 0, MENU_CONTINUE, 0 }, { 't', 0, 0, 999999, MENU_CONTINUE, 0 } }, 2 },
	{ "down, down, enter", 3, 0, 5000,
	  { { 'k', MENU_KEY_DOWN, 0, 0, MENU_CONTINUE, 1 }, { 'k', MENU_KEY_DOWN, 0, 0, MENU_CONTINUE, 2 },
	    { 'k', MENU_KEY_ENTER, 0, 0, MENU_BOOT, 2 } }, 3 },
	{ "arrows wrap", 3, 0, 5000,
	  { { 'k', MENU_KEY_UP, 0, 0, MENU_CONTINUE, 2 }, { 'k', MENU_KEY_DOWN, 0, 0, MENU_CONTINUE, 0 } }, 2 },
	{ "home and end", 4, 2, 5000,
	  { { 'k', MENU_KEY_END, 0, 0, MENU_CONTINUE, 3 }, { 'k', MENU_KEY_HOME, 0, 0, MENU_CONTINUE, 0 } }, 2 },
	{ "digit boots that entry", 3, 0, 5000, { { 'k', MENU_KEY_DIGIT, 3, 0, MENU_BOOT, 2 } }, 1 },
	{ "digit out of range is ignored", 2, 0, 5000,
	  { { 'k', MENU_KEY_DIGIT, 3, 0, MENU_CONTINUE, 0 }, { 'k', MENU_KEY_DIGIT, 0, 0, MENU_CONTINUE, 0 } }, 2 },
	{ "escape cancels", 2, 1, 5000, { { 'k', MENU_KEY_ESC, 0, 0, MENU_CANCEL, 1 } }, 1 },
	{ "default out of range falls back to the first", 2, 7, 5000, { { 'k', MENU_KEY_ENTER, 0, 0, MENU_BOOT, 0 } }, 1 },
};

int main(void)
{
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		const struct scenario *s = &scenarios[i];
		struct menu_model m;
		menu_init(&m, s->n, s->dflt, s->timeout_ms, 0);
		for (size_t j = 0; j < s->nsteps; j++) {
			const struct step *st = &s->steps[j];
			enum menu_result r = st->op == 'k' ? menu_key(&m, st->key, st->digit) : menu_tick(&m, st->ms);
			CHECK(r == st->want, "%s, step %zu: result %d, want %d", s->name, j, r, st->want);
			CHECK(m.sel == st->want_sel, "%s, step %zu: selection %zu, want %zu", s->name, j, m.sel,
			      st->want_sel);
		}
	}
	struct menu_model m;
	menu_init(&m, 2, 0, 5000, 1000);
	CHECK(menu_seconds_left(&m, 1000) == 5, "5 s left at the start");
	CHECK(menu_seconds_left(&m, 1001) == 5, "rounded up");
	CHECK(menu_seconds_left(&m, 5001) == 1, "1 s left");
	CHECK(menu_seconds_left(&m, 6000) == 0, "nothing left at the deadline");
	menu_key(&m, MENU_KEY_DOWN, 0);
	CHECK(menu_seconds_left(&m, 1000) == 0, "no countdown after a key");
	return check_summary("menu_test");
}
