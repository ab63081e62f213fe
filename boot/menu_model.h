/* menu_model.h: the target menu's state machine (highlight, number keys, countdown), with no console I/O so
 * it is unit-tested on the host; boot/menu.c draws it and feeds it keys and time. */
#ifndef BOOT_MENU_MODEL_H
#define BOOT_MENU_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum menu_key { MENU_KEY_UP, MENU_KEY_DOWN, MENU_KEY_HOME, MENU_KEY_END, MENU_KEY_ENTER, MENU_KEY_ESC,
                MENU_KEY_DIGIT, MENU_KEY_OTHER };
enum menu_result { MENU_CONTINUE, MENU_BOOT, MENU_CANCEL };

struct menu_model {
	size_t n;           /* entries, >= 1 */
	size_t sel;         /* highlighted entry */
	bool counting;      /* the countdown runs until the first key */
	uint64_t deadline;  /* clock value at which the default boots */
};

/* Starts with the default highlighted and a countdown of timeout_ms from now (0: boot the default at once). */
void menu_init(struct menu_model *m, size_t n, size_t dflt, uint32_t timeout_ms, uint64_t now_ms);
/* A key: arrows/Home/End move (wrapping at the ends), Enter boots the highlighted entry, a digit 1-9 boots
 * that entry when it exists, Esc cancels. Any key stops the countdown. */
enum menu_result menu_key(struct menu_model *m, enum menu_key k, unsigned digit);
/* Time passing: MENU_BOOT once the countdown reaches its deadline. */
enum menu_result menu_tick(struct menu_model *m, uint64_t now_ms);
/* Whole seconds left on the countdown, rounded up (0 when it is not running). */
uint32_t menu_seconds_left(const struct menu_model *m, uint64_t now_ms);

#endif
