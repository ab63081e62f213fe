/* menu_model.c: the target menu's state machine; see menu_model.h. */
#include "menu_model.h"

void menu_init(struct menu_model *m, size_t n, size_t dflt, uint32_t timeout_ms, uint64_t now_ms)
{
	m->n = n ? n : 1;
	m->sel = dflt < m->n ? dflt : 0;
	m->counting = true;
	m->deadline = now_ms + timeout_ms;
}

enum menu_result menu_key(struct menu_model *m, enum menu_key k, unsigned digit)
{
	m->counting = false;
	switch (k) {
	case MENU_KEY_UP:
		m->sel = m->sel ? m->sel - 1 : m->n - 1;
		return MENU_CONTINUE;
	case MENU_KEY_DOWN:
		m->sel = m->sel + 1 < m->n ? m->sel + 1 : 0;
		return MENU_CONTINUE;
	case MENU_KEY_HOME:
		m->sel = 0;
		return MENU_CONTINUE;
	case MENU_KEY_END:
		m->sel = m->n - 1;
		return MENU_CONTINUE;
	case MENU_KEY_ENTER:
		return MENU_BOOT;
	case MENU_KEY_ESC:
		return MENU_CANCEL;
	case MENU_KEY_DIGIT:
		if (digit >= 1 && digit <= m->n && digit <= 9) {
			m->sel = digit - 1;
			return MENU_BOOT;
		}
		return MENU_CONTINUE;
	case MENU_KEY_OTHER:
		break;
	}
	return MENU_CONTINUE;
}

enum menu_result menu_tick(struct menu_model *m, uint64_t now_ms)
{
	return m->counting && now_ms >= m->deadline ? MENU_BOOT : MENU_CONTINUE;
}

uint32_t menu_seconds_left(const struct menu_model *m, uint64_t now_ms)
{
	if (!m->counting || now_ms >= m->deadline)
		return 0;
	return (uint32_t)((m->deadline - now_ms + 999) / 1000);
}
