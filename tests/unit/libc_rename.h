/* libc_rename.h: forced into every runtime/libc source for host tests (and used by libc_test.h): each libc
 * name becomes cb_<name>, so our libc links beside the host's. Names must match libc_unrename.h. */
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("memcpy")
#endif
#undef memcpy
#define memcpy cb_memcpy
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("memmove")
#endif
#undef memmove
#define memmove cb_memmove
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("memset")
#endif
#undef memset
#define memset cb_memset
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("memcmp")
#endif
#undef memcmp
#define memcmp cb_memcmp
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("memchr")
#endif
#undef memchr
#define memchr cb_memchr
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("strlen")
#endif
#undef strlen
#define strlen cb_strlen
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("strnlen")
#endif
#undef strnlen
#define strnlen cb_strnlen
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("strcmp")
#endif
#undef strcmp
#define strcmp cb_strcmp
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("strncmp")
#endif
#undef strncmp
#define strncmp cb_strncmp
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("strcpy")
#endif
#undef strcpy
#define strcpy cb_strcpy
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("strncpy")
#endif
#undef strncpy
#define strncpy cb_strncpy
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("strcat")
#endif
#undef strcat
#define strcat cb_strcat
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("strncat")
#endif
#undef strncat
#define strncat cb_strncat
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("strchr")
#endif
#undef strchr
#define strchr cb_strchr
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("strrchr")
#endif
#undef strrchr
#define strrchr cb_strrchr
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("strstr")
#endif
#undef strstr
#define strstr cb_strstr
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("strspn")
#endif
#undef strspn
#define strspn cb_strspn
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("strcspn")
#endif
#undef strcspn
#define strcspn cb_strcspn
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("strdup")
#endif
#undef strdup
#define strdup cb_strdup
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("strndup")
#endif
#undef strndup
#define strndup cb_strndup
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("strtok_r")
#endif
#undef strtok_r
#define strtok_r cb_strtok_r
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("strlcpy")
#endif
#undef strlcpy
#define strlcpy cb_strlcpy
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("strerror")
#endif
#undef strerror
#define strerror cb_strerror
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("strcasecmp")
#endif
#undef strcasecmp
#define strcasecmp cb_strcasecmp
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("strncasecmp")
#endif
#undef strncasecmp
#define strncasecmp cb_strncasecmp
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("malloc")
#endif
#undef malloc
#define malloc cb_malloc
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("calloc")
#endif
#undef calloc
#define calloc cb_calloc
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("realloc")
#endif
#undef realloc
#define realloc cb_realloc
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("free")
#endif
#undef free
#define free cb_free
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("strtol")
#endif
#undef strtol
#define strtol cb_strtol
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("strtoul")
#endif
#undef strtoul
#define strtoul cb_strtoul
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("strtoll")
#endif
#undef strtoll
#define strtoll cb_strtoll
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("strtoull")
#endif
#undef strtoull
#define strtoull cb_strtoull
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("atoi")
#endif
#undef atoi
#define atoi cb_atoi
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("atol")
#endif
#undef atol
#define atol cb_atol
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("qsort")
#endif
#undef qsort
#define qsort cb_qsort
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("bsearch")
#endif
#undef bsearch
#define bsearch cb_bsearch
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("abs")
#endif
#undef abs
#define abs cb_abs
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("labs")
#endif
#undef labs
#define labs cb_labs
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("llabs")
#endif
#undef llabs
#define llabs cb_llabs
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("abort")
#endif
#undef abort
#define abort cb_abort
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("snprintf")
#endif
#undef snprintf
#define snprintf cb_snprintf
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("vsnprintf")
#endif
#undef vsnprintf
#define vsnprintf cb_vsnprintf
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("printf")
#endif
#undef printf
#define printf cb_printf
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("isalnum")
#endif
#undef isalnum
#define isalnum cb_isalnum
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("isalpha")
#endif
#undef isalpha
#define isalpha cb_isalpha
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("iscntrl")
#endif
#undef iscntrl
#define iscntrl cb_iscntrl
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("isdigit")
#endif
#undef isdigit
#define isdigit cb_isdigit
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("isgraph")
#endif
#undef isgraph
#define isgraph cb_isgraph
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("islower")
#endif
#undef islower
#define islower cb_islower
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("isprint")
#endif
#undef isprint
#define isprint cb_isprint
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("ispunct")
#endif
#undef ispunct
#define ispunct cb_ispunct
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("isspace")
#endif
#undef isspace
#define isspace cb_isspace
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("isupper")
#endif
#undef isupper
#define isupper cb_isupper
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("isxdigit")
#endif
#undef isxdigit
#define isxdigit cb_isxdigit
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("tolower")
#endif
#undef tolower
#define tolower cb_tolower
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("toupper")
#endif
#undef toupper
#define toupper cb_toupper
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("errno")
#endif
#undef errno
#define errno cb_errno
#ifdef LIBC_RENAME_SAVE
#pragma push_macro("__assert_fail")
#endif
#undef __assert_fail
#define __assert_fail cb___assert_fail
