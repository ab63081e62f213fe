/* ctype.c: the character classes of ctype.h for the "C" locale: ASCII only, bytes 128..255 are in no class.
 * Any int is accepted: values outside 0..255 (EOF included) are in no class and map to themselves. */
#include <ctype.h>

enum { U = 1, L = 2, D = 4, S = 8, P = 16, C = 32, X = 64, B = 128 /* blank ' ' (space, printable) */ };

static const unsigned char ctype_table[128] = {
    /* 0x00..0x08 */ C, C, C, C, C, C, C, C, C,
    /* \t \n \v \f \r */ C | S, C | S, C | S, C | S, C | S,
    /* 0x0e..0x1f */ C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C,
    /* ' ' */ S | B,
    /* !"#$%&'()*+,-./ */ P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
    /* 0-9 */ D | X, D | X, D | X, D | X, D | X, D | X, D | X, D | X, D | X, D | X,
    /* :;<=>?@ */ P, P, P, P, P, P, P,
    /* A-F */ U | X, U | X, U | X, U | X, U | X, U | X,
    /* G-Z */ U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U,
    /* [\]^_` */ P, P, P, P, P, P,
    /* a-f */ L | X, L | X, L | X, L | X, L | X, L | X,
    /* g-z */ L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L,
    /* {|}~ */ P, P, P, P,
    /* DEL */ C,
};

static int cls(int c, int mask)
{
    return (unsigned)c < 128 ? (ctype_table[c] & mask) != 0 : 0;
}

int isalnum(int c) { return cls(c, U | L | D); }
int isalpha(int c) { return cls(c, U | L); }
int iscntrl(int c) { return cls(c, C); }
int isdigit(int c) { return cls(c, D); }
int isgraph(int c) { return cls(c, U | L | D | P); }
int islower(int c) { return cls(c, L); }
int isprint(int c) { return cls(c, U | L | D | P | B); }
int ispunct(int c) { return cls(c, P); }
int isspace(int c) { return cls(c, S); }
int isupper(int c) { return cls(c, U); }
int isxdigit(int c) { return cls(c, X); }
int tolower(int c) { return cls(c, U) ? c + ('a' - 'A') : c; }
int toupper(int c) { return cls(c, L) ? c - ('a' - 'A') : c; }
