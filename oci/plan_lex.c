/* plan_lex.c: plan text to tokens: UTF-8 and control-character checks, comments, identifiers, numbers and
 * quoted templates (escapes decoded, "${" opening interpolations). It knows no grammar beyond brace nesting. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cb_checked.h"
#include "plan_internal.h"

#define IDENT_MAX 256
#define NUMBER_MAX 64
#define STACK_MAX (2 * PLAN_MAX_DEPTH + 2)

enum frame { F_BRACE, F_INTERP, F_STRING };

struct lexer {
	const char *s;
	size_t len, off;
	struct plan_pos pos;
	struct plan_arena *a;
	struct cb_err *e;
	struct plan_tok *toks;
	size_t n, cap;
	struct {
		enum frame kind;
		struct plan_pos pos;
	} stack[STACK_MAX];
	size_t sp, nest; /* nest: the F_BRACE and F_INTERP frames, as the parser counts levels */
	char *buf; /* literal being decoded, PLAN_MAX_STRING + 4 bytes */
	size_t blen;
};

/* The byte k ahead of the cursor, -1 past the end. */
static int at(const struct lexer *lx, size_t k)
{
	return cb_in_bounds(lx->off, (uint64_t)k + 1, lx->len) ? (unsigned char)lx->s[lx->off + k] : -1;
}

/* Moves over n bytes, keeping line and column (a column per UTF-8 sequence). */
static void adv(struct lexer *lx, size_t n)
{
	for (; n && lx->off < lx->len; n--) {
		unsigned char c = (unsigned char)lx->s[lx->off++];
		if (c == '\n') {
			lx->pos.line++;
			lx->pos.col = 1;
		} else if ((c & 0xc0) != 0x80) {
			lx->pos.col++;
		}
	}
}

/* Length of the valid UTF-8 sequence at p[0..n), 0 if invalid (overlong, surrogate, > U+10FFFF, cut). */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	size_t k;
	unsigned char lo = 0x80, hi = 0xbf;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		k = 2;
	else if (c >= 0xe0 && c <= 0xef)
		k = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		k = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (n < k || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < k; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return k;
}

/* The whole text is UTF-8 without control characters other than tab, CR and LF. */
static int check_text(struct lexer *lx)
{
	const unsigned char *p = (const unsigned char *)lx->s;
	while (lx->off < lx->len) {
		unsigned char c = p[lx->off];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
			return plan_err(lx->e, CB_EINVAL, lx->pos, "control character 0x%02x", c);
		size_t k = utf8_len(p + lx->off, lx->len - lx->off);
		if (!k)
			return plan_err(lx->e, CB_EINVAL, lx->pos, "invalid UTF-8 (byte 0x%02x)", c);
		adv(lx, k);
	}
	lx->off = 0;
	lx->pos = (struct plan_pos){ 1, 1 };
	return 0;
}

static int emit(struct lexer *lx, enum plan_tok_kind kind, struct plan_pos pos, const char *text, size_t len)
{
	if (lx->n == lx->cap) {
		if (lx->n > PLAN_MAX_TOKENS)
			return plan_err(lx->e, CB_ELIMIT, pos, "more than %u tokens", PLAN_MAX_TOKENS);
		size_t ncap = lx->cap ? lx->cap * 2 : 256;
		if (ncap > PLAN_MAX_TOKENS + 1)
			ncap = PLAN_MAX_TOKENS + 1;
		struct plan_tok *t = realloc(lx->toks, ncap * sizeof(*t));
		if (!t)
			return plan_err(lx->e, CB_ENOMEM, pos, "out of memory");
		lx->toks = t;
		lx->cap = ncap;
	}
	char *copy = plan_arena_strndup(lx->a, text ? text : "", text ? len : 0);
	if (!copy)
		return plan_err_alloc(lx->e, lx->a, pos);
	lx->toks[lx->n++] = (struct plan_tok){ kind, pos, copy, text ? len : 0 };
	return 0;
}

static int push(struct lexer *lx, enum frame kind, struct plan_pos pos)
{
	if (kind != F_STRING && lx->nest == PLAN_MAX_DEPTH)
		return plan_err(lx->e, CB_ELIMIT, pos, "nesting deeper than %u levels", PLAN_MAX_DEPTH);
	lx->nest += kind != F_STRING;
	lx->stack[lx->sp].kind = kind;
	lx->stack[lx->sp].pos = pos;
	lx->sp++;
	return 0;
}

static bool ident_start(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool ident_char(int c) { return ident_start(c) || (c >= '0' && c <= '9') || c == '-'; }
static bool digit(int c) { return c >= '0' && c <= '9'; }

static int lex_number(struct lexer *lx)
{
	struct plan_pos pos = lx->pos;
	size_t start = lx->off, i = 0;
	while (digit(at(lx, i)))
		i++;
	size_t int_end = i;
	if (at(lx, i) == '.' && digit(at(lx, i + 1))) {
		i++;
		while (digit(at(lx, i)))
			i++;
	}
	if (ident_char(at(lx, i)) || at(lx, i) == '.')
		return plan_err(lx->e, CB_EINVAL, pos, "malformed number (numbers are digits with an optional .fraction)");
	if (i > NUMBER_MAX)
		return plan_err(lx->e, CB_ELIMIT, pos, "number longer than %u characters", NUMBER_MAX);
	/* Canonical text: no leading zeros in the integer part, no trailing zeros in the fraction. */
	const char *p = lx->s + start;
	size_t a = 0, end = i;
	while (a + 1 < int_end && p[a] == '0')
		a++;
	if (end > int_end) {
		while (p[end - 1] == '0')
			end--;
		if (end == int_end + 1)
			end = int_end;
	}
	adv(lx, i);
	return emit(lx, PT_NUMBER, pos, p + a, end - a);
}

static int put(struct lexer *lx, const char *p, size_t n, struct plan_pos start)
{
	if (n > PLAN_MAX_STRING - lx->blen)
		return plan_err(lx->e, CB_ELIMIT, start, "string literal longer than %u bytes", PLAN_MAX_STRING);
	memcpy(lx->buf + lx->blen, p, n);
	lx->blen += n;
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes the escape at lx->off (a backslash) into the literal of the string opened at quote. */
static int lex_escape(struct lexer *lx, struct plan_pos quote)
{
	struct plan_pos pos = lx->pos;
	int c = at(lx, 1);
	const char *simple = NULL;
	switch (c) {
	case 'n': simple = "\n"; break;
	case 'r': simple = "\r"; break;
	case 't': simple = "\t"; break;
	case '"': simple = "\""; break;
	case '\\': simple = "\\"; break;
	case 'u':
	case 'U': break;
	default:
		if (c >= 0x21 && c < 0x7f)
			return plan_err(lx->e, CB_EINVAL, pos, "invalid escape \\%c (known: \\n \\r \\t \\\" \\\\ \\uNNNN \\UNNNNNNNN)", c);
		return plan_err(lx->e, CB_EINVAL, pos, "invalid escape: a backslash must be followed by n r t \" \\ u or U");
	}
	if (simple) {
		adv(lx, 2);
		return put(lx, simple, 1, quote);
	}
	size_t digits = c == 'u' ? 4 : 8;
	uint32_t cp = 0;
	for (size_t i = 0; i < digits; i++) {
		int h = hexval(at(lx, 2 + i));
		if (h < 0)
			return plan_err(lx->e, CB_EINVAL, pos, "\\%c needs %zu hex digits", c, digits);
		cp = cp << 4 | (uint32_t)h;
	}
	if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return plan_err(lx->e, CB_EINVAL, pos, "\\%c escape U+%04X is not a usable character", c, (unsigned)cp);
	char u[4];
	size_t k;
	if (cp < 0x80) {
		u[0] = (char)cp;
		k = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		k = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		k = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		k = 4;
	}
	adv(lx, 2 + digits);
	return put(lx, u, k, quote);
}

static int flush_lit(struct lexer *lx, struct plan_pos lit_pos)
{
	if (!lx->blen)
		return 0;
	int rc = emit(lx, PT_LIT, lit_pos, lx->buf, lx->blen);
	lx->blen = 0;
	return rc;
}

/* Inside quotes: literal text up to the closing quote or the next "${". */
static int lex_template(struct lexer *lx)
{
	struct plan_pos lit_pos = lx->pos, quote = lx->stack[lx->sp - 1].pos;
	int rc;
	lx->blen = 0;
	for (;;) {
		int c = at(lx, 0);
		if (c < 0)
			return plan_err(lx->e, CB_EINVAL, quote, "unterminated string");
		if (c == '\n' || (c == '\r' && at(lx, 1) == '\n'))
			return plan_err(lx->e, CB_EINVAL, quote,
					"unterminated string (a quoted string ends on its line; heredocs are not supported)");
		if (c == '"') {
			if ((rc = flush_lit(lx, lit_pos)))
				return rc;
			struct plan_pos pos = lx->pos;
			adv(lx, 1);
			lx->sp--;
			return emit(lx, PT_CQUOTE, pos, NULL, 0);
		}
		if (c == '\\') {
			if ((rc = lex_escape(lx, quote)))
				return rc;
			continue;
		}
		if ((c == '$' || c == '%') && at(lx, 1) == c && at(lx, 2) == '{') {
			char esc[2] = { (char)c, '{' };
			adv(lx, 3);
			if ((rc = put(lx, esc, 2, quote)))
				return rc;
			continue;
		}
		if (c == '%' && at(lx, 1) == '{')
			return plan_err(lx->e, CB_EUNSUP, lx->pos,
					"template directives %%{...} are not supported (write %%%%{ for a literal %%{)");
		if (c == '$' && at(lx, 1) == '{') {
			if ((rc = flush_lit(lx, lit_pos)))
				return rc;
			struct plan_pos pos = lx->pos;
			adv(lx, 2);
			if (at(lx, 0) == '~')
				return plan_err(lx->e, CB_EUNSUP, pos, "template strip markers (${~) are not supported");
			if ((rc = push(lx, F_INTERP, pos)))
				return rc;
			return emit(lx, PT_INTERP, pos, NULL, 0);
		}
		size_t k = utf8_len((const unsigned char *)lx->s + lx->off, lx->len - lx->off);
		if ((rc = put(lx, lx->s + lx->off, k, quote)))
			return rc;
		adv(lx, k);
	}
}

/* Skips blanks and comments. */
static int skip_space(struct lexer *lx)
{
	for (;;) {
		int c = at(lx, 0);
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			adv(lx, 1);
		} else if (c == '#' || (c == '/' && at(lx, 1) == '/')) {
			while (at(lx, 0) >= 0 && at(lx, 0) != '\n')
				adv(lx, 1);
		} else if (c == '/' && at(lx, 1) == '*') {
			struct plan_pos pos = lx->pos;
			adv(lx, 2);
			while (!(at(lx, 0) == '*' && at(lx, 1) == '/')) {
				if (at(lx, 0) < 0)
					return plan_err(lx->e, CB_EINVAL, pos, "unterminated /* comment");
				adv(lx, 1);
			}
			adv(lx, 2);
		} else {
			return 0;
		}
	}
}

static int at_eof(struct lexer *lx)
{
	if (lx->sp) {
		struct plan_pos pos = lx->stack[lx->sp - 1].pos;
		if (lx->stack[lx->sp - 1].kind == F_INTERP)
			return plan_err(lx->e, CB_EINVAL, pos, "unterminated interpolation: ${ without a closing }");
		return plan_err(lx->e, CB_EINVAL, pos, "unclosed {: no matching } before the end of the plan");
	}
	return emit(lx, PT_EOF, lx->pos, NULL, 0);
}

static int lex_punct(struct lexer *lx)
{
	struct plan_pos pos = lx->pos;
	int c = at(lx, 0), d = at(lx, 1);
	enum plan_tok_kind kind;
	size_t n = 1;
	switch (c) {
	case '[': kind = PT_LBRACK; break;
	case ']': kind = PT_RBRACK; break;
	case '(': kind = PT_LPAREN; break;
	case ')': kind = PT_RPAREN; break;
	case ',': kind = PT_COMMA; break;
	case '.': kind = PT_DOT; break;
	case '?': kind = PT_QUESTION; break;
	case ':': kind = PT_COLON; break;
	case '=':
		kind = d == '=' ? PT_EQ : PT_ASSIGN;
		n = d == '=' ? 2 : 1;
		break;
	case '!':
		kind = d == '=' ? PT_NE : PT_BADOP;
		n = d == '=' ? 2 : 1;
		break;
	case '<':
		if (d == '<')
			return plan_err(lx->e, CB_EUNSUP, pos, "heredoc strings (<<EOF) are not supported; use a quoted string");
		kind = PT_BADOP;
		n = d == '=' ? 2 : 1;
		break;
	case '>':
		kind = PT_BADOP;
		n = d == '=' ? 2 : 1;
		break;
	case '&':
	case '|':
		if (d != c)
			return plan_err(lx->e, CB_EINVAL, pos, "unexpected character '%c'", c);
		kind = PT_BADOP;
		n = 2;
		break;
	case '~':
		if (d == '}')
			return plan_err(lx->e, CB_EUNSUP, pos, "template strip markers (~}) are not supported");
		return plan_err(lx->e, CB_EINVAL, pos, "unexpected character '~'");
	case '+':
	case '-':
	case '*':
	case '/':
	case '%': kind = PT_BADOP; break;
	default:
		if (c >= 0x21 && c < 0x7f)
			return plan_err(lx->e, CB_EINVAL, pos, "unexpected character '%c'", c);
		return plan_err(lx->e, CB_EINVAL, pos, "unexpected character (only ASCII is allowed outside strings and comments)");
	}
	const char *text = lx->s + lx->off;
	adv(lx, n);
	return emit(lx, kind, pos, text, n);
}

static int lex_normal(struct lexer *lx)
{
	int rc = skip_space(lx);
	if (rc)
		return rc;
	int c = at(lx, 0);
	struct plan_pos pos = lx->pos;
	if (c < 0)
		return at_eof(lx);
	if (ident_start(c)) {
		size_t i = 1;
		while (ident_char(at(lx, i)))
			i++;
		if (i > IDENT_MAX)
			return plan_err(lx->e, CB_ELIMIT, pos, "identifier longer than %u characters", IDENT_MAX);
		const char *text = lx->s + lx->off;
		adv(lx, i);
		return emit(lx, PT_IDENT, pos, text, i);
	}
	if (digit(c))
		return lex_number(lx);
	if (c == '"') {
		adv(lx, 1);
		if ((rc = push(lx, F_STRING, pos)))
			return rc;
		return emit(lx, PT_OQUOTE, pos, NULL, 0);
	}
	if (c == '{') {
		adv(lx, 1);
		if ((rc = push(lx, F_BRACE, pos)))
			return rc;
		return emit(lx, PT_LBRACE, pos, NULL, 0);
	}
	if (c == '}') {
		adv(lx, 1);
		enum plan_tok_kind kind = PT_RBRACE;
		if (lx->sp) {
			if (lx->stack[lx->sp - 1].kind == F_INTERP)
				kind = PT_INTERP_END;
			lx->sp--;
			lx->nest--;
		}
		return emit(lx, kind, pos, NULL, 0);
	}
	return lex_punct(lx);
}

int plan_lex(const char *src, size_t len, struct plan_arena *a, struct plan_tok **toks, size_t *n_toks,
	     struct cb_err *e)
{
	struct lexer lx = { .s = src, .len = len, .pos = { 1, 1 }, .a = a, .e = e };
	*toks = NULL;
	*n_toks = 0;
	int rc = check_text(&lx);
	if (rc)
		return rc;
	if (len >= 3 && memcmp(src, "\xef\xbb\xbf", 3) == 0)
		lx.off = 3; /* a UTF-8 byte order mark is not a column */
	lx.buf = malloc(PLAN_MAX_STRING + 4);
	if (!lx.buf)
		return plan_err(e, CB_ENOMEM, lx.pos, "out of memory");
	for (;;) {
		bool in_string = lx.sp && lx.stack[lx.sp - 1].kind == F_STRING;
		rc = in_string ? lex_template(&lx) : lex_normal(&lx);
		if (rc || lx.toks[lx.n - 1].kind == PT_EOF)
			break;
	}
	free(lx.buf);
	if (rc) {
		free(lx.toks);
		return rc;
	}
	*toks = lx.toks;
	*n_toks = lx.n;
	return 0;
}
