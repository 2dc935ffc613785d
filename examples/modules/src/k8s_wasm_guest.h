/*
 * k8s_wasm_guest.h - the guest helper for k8s-wasm modules (single header, C11).
 *
 * A k8s-wasm module is a WASI preview1 module exporting one function per use
 * case: `authn`, `authz` or `validate` (no parameters, no result). On every call
 * the host writes ONE JSON document to the module's stdin
 *
 *     {"request": <TokenReview | SubjectAccessReview | AdmissionReview>,
 *      "settings": <the module's configured settings; may be missing or null>}
 *
 * and reads ALL of stdout as ONE JSON document:
 *
 *     {"response": <the answered review>}     or     {"error": "<message>"}
 *
 * This header provides exactly that, depending on nothing but wasi-libc:
 * reading stdin, a small DOM JSON parser, lookups, a JSON writer, the output
 * envelopes, one-call answers for each kind of review (kw_authn_answer,
 * kw_authz_answer, kw_admission_allow / _deny / _mutate), editing an object
 * member in place (kw_put_object_set) and base64 (a mutator returns its
 * `patch` base64-encoded).
 *
 * Build a module (a "reactor": it has no main):
 *     clang --target=wasm32-wasi -O2 -mexec-model=reactor -Wl,--strip-all \
 *           -o my_module.wasm my_module.c
 *
 * Example (allows members of group "admins", no opinion otherwise):
 *     #include "k8s_wasm_guest.h"
 *     KW_EXPORT("authz") void authz(void) {
 *         kw_input in;
 *         if (!kw_read_input_or_answer(&in)) return;   // answered {"error": ...}
 *         int ok = kw_contains_str(kw_path(in.request, "spec.groups"), "admins");
 *         kw_authz_answer(in.request, ok, 0, ok ? "admins may do anything" : NULL);
 *         kw_input_free(&in);
 *     }
 *
 * Example (denies Pods without the label "team"):
 *     KW_EXPORT("validate") void validate(void) {
 *         kw_admission a;
 *         if (!kw_admission_read(&a)) return;          // answered {"error": ...}
 *         if (a.object && !kw_get(kw_path(a.object, "metadata.labels"), "team"))
 *             kw_admission_deny(&a, 403, "every Pod needs a team label");
 *         else
 *             kw_admission_allow(&a);
 *         kw_admission_free(&a);
 *     }
 *
 * Notes
 * - Every function is `static inline`: just include the header.
 * - Lookups and accessors accept NULL and then return NULL / the default, so
 *   chains like kw_str(kw_path(in.request, "spec.user"), "") never crash.
 * - Strings are decoded to UTF-8 and NUL-terminated; `len` is the real length
 *   (a string may contain \u0000). \uXXXX escapes and surrogate pairs are
 *   decoded; a lone surrogate becomes U+FFFD; malformed UTF-8 is rejected.
 * - Numbers are parsed to a double (exact for integers up to 2^53). Every value
 *   also keeps `raw`, its exact source text, and kw_put_value() copies that
 *   text verbatim: re-emitted parts of the input keep their exact form. So the
 *   parsed text must outlive the tree (kw_input takes care of it).
 * - Duplicate object keys: kw_get() returns the LAST one (as Go does).
 * - Writer errors (out of memory, nesting deeper than KW_MAX_DEPTH, unbalanced
 *   begin/end) set `failed`; kw_end_response() then sends an error envelope.
 * - The host normally creates a fresh instance per call, so freeing is
 *   optional; kw_input_free() / kw_free() / kw_writer_free() exist anyway.
 */
#ifndef K8S_WASM_GUEST_H
#define K8S_WASM_GUEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef KW_MAX_DEPTH
#define KW_MAX_DEPTH 128 /* maximum nesting of arrays/objects (parser and writer) */
#endif

/* Keeps a helper out of line. Chicory compiles each WebAssembly function to one
 * JVM method, and the JVM does not JIT-compile methods over 8000 bytes of
 * bytecode (-XX:-DontCompileHugeMethods), so a module's export with the whole
 * parser inlined into it would run in the JVM's bytecode interpreter. */
#define KW__NOINLINE __attribute__((noinline))

/* Exports the function that follows under `name`, e.g. KW_EXPORT("validate"). */
#define KW_EXPORT(name) __attribute__((export_name(name)))

/* ===================================================================== DOM */
typedef enum { KW_NULL, KW_BOOL, KW_NUMBER, KW_STRING, KW_ARRAY, KW_OBJECT } kw_type;

typedef struct kw_value kw_value;
struct kw_value {
    kw_type type;
    int boolean;     /* KW_BOOL: 0 or 1 */
    double number;   /* KW_NUMBER */
    char *str;       /* KW_STRING: decoded UTF-8, NUL-terminated */
    size_t len;      /* KW_STRING: bytes in str; KW_ARRAY / KW_OBJECT: element count */
    kw_value *items; /* KW_ARRAY: the elements; KW_OBJECT: the member values */
    kw_value *keys;  /* KW_OBJECT: the member names (KW_STRING values) */
    const char *raw; /* exact source text of the value (not NUL-terminated) */
    size_t raw_len;
};

/* Appends s to the NUL-terminated string dst (capacity size), truncating. */
static inline void kw_cat(char *dst, size_t size, const char *s) {
    size_t n = strlen(dst);
    while (s && *s && n + 1 < size) dst[n++] = *s++;
    dst[n] = '\0';
}

/* Formats v in decimal into buf (21 bytes suffice) and returns buf. */
static inline char *kw_fmt_int(char *buf, long long v) {
    char tmp[20];
    size_t n = 0, i = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do { tmp[n++] = (char)('0' + u % 10); u /= 10; } while (u);
    if (v < 0) buf[i++] = '-';
    while (n) buf[i++] = tmp[--n];
    buf[i] = '\0';
    return buf;
}

/* ================================================================== parser
 * The tree lives in one arena (a few large blocks) owned by the root value:
 * parsing costs a handful of malloc calls whatever the document's size, and
 * kw_free(root) releases everything at once. Strings are decoded in place in a
 * copy of the input text (decoded text is never longer than its source, and
 * the closing quote makes room for the terminating NUL). */
typedef struct kw__block { struct kw__block *next; size_t size, used; } kw__block;

/* n bytes (8-aligned) from the arena at *head, adding a block when needed. */
static inline void *kw__alloc(kw__block **head, size_t n) {
    kw__block *b = *head;
    n = (n + 7) & ~(size_t)7;
    if (!b || b->size - b->used < n) {
        size_t size = b ? b->size * 2 : 4096;
        if (n > SIZE_MAX / 2 - sizeof *b) return NULL;
        if (size < n) size = (n + 4095) & ~(size_t)4095; /* a big request gets what it needs, no more */
        if (!(b = malloc(sizeof(kw__block) + size))) return NULL;
        b->next = *head, b->size = size, b->used = 0, *head = b;
    }
    b->used += n;
    return (char *)(b + 1) + b->used - n;
}

/* Makes sure the next allocations up to `size` bytes in total need no new block. */
static inline void kw__reserve(kw__block **head, size_t size) {
    if (kw__alloc(head, size)) (*head)->used -= (size + 7) & ~(size_t)7;
}

static inline void kw__arena_free(kw__block *b) {
    while (b) { kw__block *next = b->next; free(b); b = next; }
}

typedef struct {
    const char *p, *start, *end, *err;
    char *text; /* a copy of the input in the arena: strings are decoded in place there */
    kw__block *arena;
    kw_value *stack; /* the values being parsed: each container's members */
    size_t depth_n, cap;
    kw_value *keys;  /* the keys of the objects' members being parsed, in step with stack */
    size_t keys_n, keys_cap;
} kw__parser;

static inline int kw__fail(kw__parser *ps, const char *why) { if (!ps->err) ps->err = why; return -1; }
static inline void kw__ws(kw__parser *ps) {
    const char *p = ps->p, *e = ps->end; /* locals: ps lives in memory, and char stores may alias it */
    while (e - p > 0 && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
    ps->p = p;
}

/* Pushes an empty value on *stack (n used, cap allocated) and returns it
 * (valid until the next push), or NULL if out of memory. Values are parsed in
 * place there. */
static inline kw_value *kw__push(kw_value **stack, size_t *n, size_t *cap) {
    kw_value *v;
    if (*n == *cap) {
        size_t grown = *cap ? *cap * 2 : 64;
        if (grown > SIZE_MAX / 2 / sizeof(kw_value) || !(v = realloc(*stack, grown * sizeof *v))) return NULL;
        *stack = v, *cap = grown;
    }
    v = &(*stack)[(*n)++];
    memset(v, 0, sizeof *v);
    return v;
}
static inline kw_value *kw__slot(kw__parser *ps) { return kw__push(&ps->stack, &ps->depth_n, &ps->cap); }

/* Length of the well-formed UTF-8 sequence at s (s < end), or 0 if malformed. */
static inline size_t kw__utf8_len(const unsigned char *s, const unsigned char *end) {
    uint32_t c = s[0], cp, min;
    size_t n, i;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07; min = 0x10000; }
    else return 0;
    if ((size_t)(end - s) < n) return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    return (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) ? 0 : n;
}

static inline char *kw__put_utf8(char *o, uint32_t cp) {
    if (cp < 0x80) { *o++ = (char)cp; return o; }
    if (cp < 0x800) *o++ = (char)(0xC0 | (cp >> 6));
    else {
        if (cp < 0x10000) *o++ = (char)(0xE0 | (cp >> 12));
        else { *o++ = (char)(0xF0 | (cp >> 18)); *o++ = (char)(0x80 | ((cp >> 12) & 0x3F)); }
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
    }
    *o++ = (char)(0x80 | (cp & 0x3F));
    return o;
}
static inline int kw__hex4(const unsigned char *s, uint32_t *out) {
    uint32_t v = 0;
    int i;
    for (i = 0; i < 4; i++) {
        unsigned c = s[i];
        if (c >= '0' && c <= '9') v = v * 16 + (c - '0');
        else if (c >= 'a' && c <= 'f') v = v * 16 + (c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v = v * 16 + (c - 'A' + 10);
        else return -1;
    }
    *out = v;
    return 0;
}

#define KW__ONES 0x0101010101010101ULL
/* Whether c can be copied as is: printable ASCII other than '"' and '\\'. */
#define KW__PLAIN(c) ((c) >= 0x20 && (c) < 0x80 && (c) != '"' && (c) != '\\')

static inline int kw__string(kw__parser *ps, kw_value *out) {
    const unsigned char *c = (const unsigned char *)ps->p + 1, *q = c;
    const unsigned char *end = (const unsigned char *)ps->end;
    const char *why = NULL;
    char *buf, *o;
    /* the common case: printable ASCII up to the closing quote, copied in one go;
     * scanned 8 bytes at a time while no byte needs a closer look */
    while (end - q >= 8) {
        uint64_t w, quote, slash, marks;
        memcpy(&w, q, 8);
        quote = w ^ (KW__ONES * '"'), slash = w ^ (KW__ONES * '\\');
        /* the high bit of each byte that is >= 0x80, < 0x20, '"' or '\\' (also of
         * some bytes after such a byte, never before: the lowest mark is exact) */
        marks = (w | ((w - KW__ONES * 0x20) & ~w) | ((quote - KW__ONES) & ~quote) | ((slash - KW__ONES) & ~slash)) &
                (KW__ONES * 0x80);
        if (marks) { q += __builtin_ctzll(marks) >> 3; break; }
        q += 8;
    }
    while (end - q > 0 && KW__PLAIN(*q)) q++;
    if (end - q > 0 && *q == '"') {
        buf = ps->text + ((const char *)c - ps->start);
        buf[q - c] = '\0'; /* over the closing quote in the copy */
        out->type = KW_STRING, out->str = buf, out->len = (size_t)(q - c);
        ps->p = (const char *)q + 1;
        return 0;
    }
    /* find the closing quote; the decoded text is never longer than the source */
    while (end - q > 0 && *q != '"') q += (*q == '\\' && end - q > 1) ? 2 : 1;
    if (end - q <= 0) return kw__fail(ps, "unterminated string");
    /* decoded into the copy of the input, where the string's source text was */
    buf = ps->text + ((const char *)c - ps->start);
    for (o = buf; q - c > 0 && !why;) {
        uint32_t cp = 0, lo = 0;
        size_t n;
        if (KW__PLAIN(*c)) {
            *o++ = (char)*c++;
        } else if (*c == '\\') {
            switch (c[1]) {
            case '"': case '\\': case '/': *o++ = (char)c[1]; break;
            case 'b': *o++ = '\b'; break;  case 'f': *o++ = '\f'; break;
            case 'n': *o++ = '\n'; break;  case 'r': *o++ = '\r'; break;
            case 't': *o++ = '\t'; break;
            case 'u':
                if (q - c < 6 || kw__hex4(c + 2, &cp) != 0) { why = "invalid \\u escape"; continue; }
                c += 6;
                if (cp >= 0xD800 && cp <= 0xDBFF && q - c >= 6 && c[0] == '\\' && c[1] == 'u' &&
                    kw__hex4(c + 2, &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    c += 6;
                } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                    cp = 0xFFFD; /* lone surrogate */
                }
                o = kw__put_utf8(o, cp);
                continue;
            default: why = "invalid escape in string"; continue;
            }
            c += 2;
        } else if (*c < 0x20) {
            why = "control character in string";
        } else if ((n = kw__utf8_len(c, q)) == 0) {
            why = "invalid UTF-8 in string";
        } else {
            memcpy(o, c, n);
            o += n, c += n;
        }
    }
    if (why) { ps->p = (const char *)c; return kw__fail(ps, why); }
    *o = '\0';
    out->type = KW_STRING, out->str = buf, out->len = (size_t)(o - buf);
    ps->p = (const char *)q + 1;
    return 0;
}
#undef KW__PLAIN
#undef KW__ONES

static inline KW__NOINLINE int kw__number(kw__parser *ps, kw_value *out) {
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char *p = ps->p, *e = ps->end;
    uint64_t m = 0;       /* up to 18 significant digits */
    long ex = 0, ee = 0;  /* decimal exponent, both clamped to about +-1e6 */
    int neg = 0, eneg = 0;
    double v;
#define KW__DIGIT (e - p > 0 && *p >= '0' && *p <= '9')
    if (e - p > 0 && *p == '-') { neg = 1; p++; }
    if (!KW__DIGIT) goto bad;
    if (*p == '0') p++;
    else for (; KW__DIGIT; p++) {
        if (m < 100000000000000000ULL) m = m * 10 + (uint64_t)(*p - '0');
        else if (ex < 1000000) ex++;
    }
    if (e - p > 0 && *p == '.') {
        p++;
        if (!KW__DIGIT) goto bad;
        for (; KW__DIGIT; p++)
            if (m < 100000000000000000ULL && ex > -1000000) { m = m * 10 + (uint64_t)(*p - '0'); ex--; }
    }
    if (e - p > 0 && (*p == 'e' || *p == 'E')) {
        p++;
        if (e - p > 0 && (*p == '+' || *p == '-')) eneg = *p++ == '-';
        if (!KW__DIGIT) goto bad;
        for (; KW__DIGIT; p++) if (ee < 1000000) ee = ee * 10 + (*p - '0');
    }
#undef KW__DIGIT
    ex += eneg ? -ee : ee;
    v = (double)m;
    for (; ex > 22 && v != 0 && v <= 1.7976931348623157e308; ex -= 22) v *= 1e22;
    for (; ex < -22 && v != 0; ex += 22) v /= 1e22;
    if (ex > 0 && ex <= 22) v *= p10[ex];
    else if (ex < 0 && ex >= -22) v /= p10[-ex];
    out->type = KW_NUMBER, out->number = neg ? -v : v;
    ps->p = p;
    return 0;
bad:
    ps->p = p;
    return kw__fail(ps, "invalid number");
}


static inline int kw__value(kw__parser *ps, size_t at, int depth);

/* Parses an array or object into stack slot `at`: its members are parsed on
 * the stack above it, then copied into arrays of exactly the right size in the
 * arena. */
static inline int kw__container(kw__parser *ps, size_t at, int depth, int is_obj) {
    char close = is_obj ? '}' : ']';
    size_t base = ps->depth_n, keys_base = ps->keys_n, n;
    kw_value *out, *items, *keys = NULL, *key;
    if (depth >= KW_MAX_DEPTH) return kw__fail(ps, "nesting too deep");
    ps->stack[at].type = is_obj ? KW_OBJECT : KW_ARRAY;
    ps->p++;
    kw__ws(ps);
    if (ps->end - ps->p > 0 && *ps->p == close) { ps->p++; return 0; }
    for (;;) {
        if (is_obj) {
            kw__ws(ps);
            if (ps->end - ps->p <= 0 || *ps->p != '"') return kw__fail(ps, "expected a string (object key)");
            if (!(key = kw__push(&ps->keys, &ps->keys_n, &ps->keys_cap))) return kw__fail(ps, "out of memory");
            if (kw__string(ps, key) != 0) return -1;
            kw__ws(ps);
            if (ps->end - ps->p <= 0 || *ps->p != ':') return kw__fail(ps, "expected ':'");
            ps->p++;
        }
        if (!kw__slot(ps)) return kw__fail(ps, "out of memory");
        if (kw__value(ps, ps->depth_n - 1, depth + 1) != 0) return -1;
        kw__ws(ps);
        if (ps->end - ps->p > 0 && *ps->p == ',') { ps->p++; continue; }
        if (ps->end - ps->p > 0 && *ps->p == close) { ps->p++; break; }
        return kw__fail(ps, is_obj ? "expected ',' or '}'" : "expected ',' or ']'");
    }
    n = ps->depth_n - base;
    if (!(items = kw__alloc(&ps->arena, n * sizeof(kw_value)))) return kw__fail(ps, "out of memory");
    if (is_obj && !(keys = kw__alloc(&ps->arena, n * sizeof(kw_value)))) return kw__fail(ps, "out of memory");
    memcpy(items, ps->stack + base, n * sizeof(kw_value));
    if (is_obj) memcpy(keys, ps->keys + keys_base, n * sizeof(kw_value));
    out = &ps->stack[at];
    out->items = items, out->keys = keys, out->len = n;
    ps->depth_n = base, ps->keys_n = keys_base;
    return 0;
}

static inline int kw__literal(kw__parser *ps, const char *word, size_t n) {
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0) return kw__fail(ps, "invalid literal");
    ps->p += n;
    return 0;
}

/* Parses one value into stack slot `at` (an empty value). */
static inline int kw__value(kw__parser *ps, size_t at, int depth) {
    kw_value *out = &ps->stack[at];
    const char *start;
    int r;
    kw__ws(ps);
    if (ps->end - ps->p <= 0) return kw__fail(ps, "unexpected end of input");
    start = ps->p;
    switch (*ps->p) {
    case '{': r = kw__container(ps, at, depth, 1); break;
    case '[': r = kw__container(ps, at, depth, 0); break;
    case '"': r = kw__string(ps, out); break;
    case 't': r = kw__literal(ps, "true", 4); out->type = KW_BOOL; out->boolean = 1; break;
    case 'f': r = kw__literal(ps, "false", 5); out->type = KW_BOOL; break;
    case 'n': r = kw__literal(ps, "null", 4); break;
    default:
        r = (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9')) ? kw__number(ps, out)
                                                                : kw__fail(ps, "expected a JSON value");
    }
    if (r != 0) return -1;
    out = &ps->stack[at]; /* a container may have moved the stack */
    out->raw = start, out->raw_len = (size_t)(ps->p - start);
    return 0;
}

/* The root of a tree and the arena that holds the tree, kw_free's handle. */
typedef struct { kw__block *arena; kw_value root; } kw__tree;

/* Parses json[0..len) (one value, optional surrounding whitespace). Returns the
 * tree (free with kw_free) or NULL with a message such as
 * "invalid JSON at byte 7: expected ':'" in err (if err_size > 0). The tree
 * points into json (see `raw`): keep json alive while using it. */
static inline KW__NOINLINE kw_value *kw_parse(const char *json, size_t len, char *err, size_t err_size) {
    kw__parser ps;
    kw__tree *tree;
    char num[21];
    if (!json) { json = ""; len = 0; }
    memset(&ps, 0, sizeof ps);
    ps.p = ps.start = json, ps.end = json + len;
    /* a first block that usually holds the whole tree: about 4 bytes per byte of JSON */
    if (len < SIZE_MAX / 8) kw__reserve(&ps.arena, len * 5 + 1024);
    if (len < SIZE_MAX / 8 && (ps.text = kw__alloc(&ps.arena, len + 1)) != NULL) memcpy(ps.text, json, len);
    if (!ps.text || !(tree = kw__alloc(&ps.arena, sizeof *tree)) || !kw__slot(&ps)) {
        kw__fail(&ps, "out of memory");
    } else if (kw__value(&ps, 0, 0) == 0) {
        kw__ws(&ps);
        if (ps.p == ps.end) {
            tree->root = ps.stack[0];
            tree->arena = ps.arena;
            free(ps.stack), free(ps.keys);
            return &tree->root;
        }
        kw__fail(&ps, "unexpected data after the JSON value");
    }
    free(ps.stack), free(ps.keys);
    kw__arena_free(ps.arena);
    if (err && err_size) {
        err[0] = '\0';
        kw_cat(err, err_size, "invalid JSON at byte ");
        kw_cat(err, err_size, kw_fmt_int(num, (long long)(ps.p - ps.start)));
        kw_cat(err, err_size, ": "), kw_cat(err, err_size, ps.err);
    }
    return NULL;
}

/* Frees a tree returned by kw_parse, all of it (pass that root, nothing else). */
static inline void kw_free(kw_value *root) {
    if (root) kw__arena_free(((kw__tree *)(void *)((char *)root - offsetof(kw__tree, root)))->arena);
}

/* ================================================================= lookups */
static inline int kw_is(const kw_value *v, kw_type t) { return v && v->type == t; }
/* True when v is missing (NULL) or JSON null. */
static inline int kw_is_null(const kw_value *v) { return !v || v->type == KW_NULL; }
static inline const char *kw_str(const kw_value *v, const char *def) { return kw_is(v, KW_STRING) ? v->str : def; }
static inline int kw_bool(const kw_value *v, int def) { return kw_is(v, KW_BOOL) ? v->boolean : def; }
static inline double kw_num(const kw_value *v, double def) { return kw_is(v, KW_NUMBER) ? v->number : def; }
/* Number of elements of an array or members of an object; 0 otherwise. */
static inline size_t kw_len(const kw_value *v) { return (kw_is(v, KW_ARRAY) || kw_is(v, KW_OBJECT)) ? v->len : 0; }
/* Element i of an array, or the value of member i of an object. */
static inline const kw_value *kw_at(const kw_value *v, size_t i) { return i < kw_len(v) ? &v->items[i] : NULL; }
/* Name of member i of an object (v->keys[i] holds it as a string value). */
static inline const char *kw_key_at(const kw_value *v, size_t i) { return i < kw_len(v) && v->keys ? v->keys[i].str : NULL; }
/* True when v is a string equal to s. */
static inline int kw_str_eq(const kw_value *v, const char *s) {
    return kw_is(v, KW_STRING) && v->len == strlen(s) && memcmp(v->str, s, v->len) == 0;
}
/* True when v is an array containing the string s. */
static inline int kw_contains_str(const kw_value *arr, const char *s) {
    size_t i;
    for (i = 0; kw_is(arr, KW_ARRAY) && i < arr->len; i++)
        if (kw_str_eq(&arr->items[i], s)) return 1;
    return 0;
}

static inline const kw_value *kw__getn(const kw_value *obj, const char *key, size_t n) {
    size_t i;
    if (!kw_is(obj, KW_OBJECT)) return NULL;
    for (i = obj->len; i-- > 0;) /* the last duplicate wins */
        if (obj->keys[i].len == n && memcmp(obj->keys[i].str, key, n) == 0) return &obj->items[i];
    return NULL;
}
/* Member `key` of an object; NULL if obj is not an object or has no such key. */
static inline const kw_value *kw_get(const kw_value *obj, const char *key) {
    return kw__getn(obj, key, strlen(key));
}

/* Follows a dot-separated path: kw_path(root, "request.object.data"); a numeric
 * segment indexes an array ("spec.groups.0"). NULL if any step is missing.
 * For keys that contain dots (annotations...) use kw_get(). */
static inline const kw_value *kw_path(const kw_value *v, const char *path) {
    while (v && *path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path), i = 0, k;
        if (v->type == KW_ARRAY) {
            if (n == 0 || n > 9) return NULL;
            for (k = 0; k < n; k++) {
                if (path[k] < '0' || path[k] > '9') return NULL;
                i = i * 10 + (size_t)(path[k] - '0');
            }
            v = kw_at(v, i);
        } else {
            v = kw__getn(v, path, n);
        }
        path += n + (dot != NULL);
    }
    return v;
}

/* ================================================================== writer */
typedef struct {
    char *buf;  /* the JSON text written so far (not NUL-terminated) */
    size_t len, cap;
    int failed; /* out of memory, too deep or unbalanced: the text is unusable */
    int depth, after_name;
    unsigned char first[KW_MAX_DEPTH + 1];
} kw_writer;

static inline void kw_writer_init(kw_writer *w) { memset(w, 0, sizeof *w); }
static inline void kw_writer_free(kw_writer *w) { free(w->buf); kw_writer_init(w); }
static inline void kw__emit(kw_writer *w, const char *s, size_t n) {
    if (w->failed || n == 0) return;
    if (n > w->cap - w->len) {
        size_t cap = w->cap ? w->cap : 256;
        char *p;
        while (n > cap - w->len) {
            if (cap > SIZE_MAX / 2) { w->failed = 1; return; }
            cap *= 2;
        }
        if (!(p = realloc(w->buf, cap))) { w->failed = 1; return; }
        w->buf = p, w->cap = cap;
    }
    memcpy(w->buf + w->len, s, n), w->len += n;
}

/* Writes the ',' needed before a value or member name. */
static inline void kw__sep(kw_writer *w) {
    if (w->after_name) w->after_name = 0;
    else if (w->depth > 0) {
        if (!w->first[w->depth]) kw__emit(w, ",", 1);
        w->first[w->depth] = 0;
    }
}

static inline void kw__open(kw_writer *w, const char *c) {
    kw__sep(w);
    if (w->depth >= KW_MAX_DEPTH) { w->failed = 1; return; }
    kw__emit(w, c, 1), w->first[++w->depth] = 1;
}
static inline void kw__close(kw_writer *w, const char *c) {
    if (w->depth <= 0 || w->after_name) { w->failed = 1; return; }
    w->depth--, kw__emit(w, c, 1);
}
static inline void kw_obj_begin(kw_writer *w) { kw__open(w, "{"); }
static inline void kw_obj_end(kw_writer *w) { kw__close(w, "}"); }
static inline void kw_arr_begin(kw_writer *w) { kw__open(w, "["); }
static inline void kw_arr_end(kw_writer *w) { kw__close(w, "]"); }

/* A JSON string from n bytes of UTF-8 (quotes, backslashes, controls escaped). */
static inline void kw_put_strn(kw_writer *w, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    size_t i, run = 0;
    if (!s) { s = ""; n = 0; }
    kw__sep(w), kw__emit(w, "\"", 1);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[6] = {'\\', 0, '0', '0', 0, 0};
        size_t en = 2;
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        kw__emit(w, s + run, i - run), run = i + 1;
        switch (c) {
        case '"': case '\\': esc[1] = (char)c; break;
        case '\n': esc[1] = 'n'; break;  case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;  case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        default: esc[1] = 'u'; esc[4] = hex[c >> 4]; esc[5] = hex[c & 15]; en = 6;
        }
        kw__emit(w, esc, en);
    }
    kw__emit(w, s + run, n - run), kw__emit(w, "\"", 1);
}

static inline void kw_put_str(kw_writer *w, const char *s) { kw_put_strn(w, s, s ? strlen(s) : 0); }
/* Splices already-serialised JSON text (must be exactly one valid value). */
static inline void kw_put_raw(kw_writer *w, const char *json, size_t n) { kw__sep(w); kw__emit(w, json, n); }
static inline void kw_put_null(kw_writer *w) { kw_put_raw(w, "null", 4); }
static inline void kw_put_bool(kw_writer *w, int b) { kw_put_raw(w, b ? "true" : "false", b ? 4 : 5); }
static inline void kw_put_int(kw_writer *w, long long v) { char b[21]; kw_put_raw(w, b, strlen(kw_fmt_int(b, v))); }
/* Copies a parsed value verbatim (its exact source text); NULL writes null. */
static inline void kw_put_value(kw_writer *w, const kw_value *v) {
    if (v && v->raw) kw_put_raw(w, v->raw, v->raw_len); else kw_put_null(w);
}

/* A JSON string holding the standard base64 encoding (with padding) of data. */
static inline void kw_put_base64(kw_writer *w, const void *data, size_t n) {
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *d = (const unsigned char *)data;
    char chunk[256];
    size_t i, k = 0;
    kw__sep(w), kw__emit(w, "\"", 1);
    for (i = 0; i < n; i += 3) {
        uint32_t b = (uint32_t)d[i] << 16;
        if (i + 1 < n) b |= (uint32_t)d[i + 1] << 8;
        if (i + 2 < n) b |= d[i + 2];
        chunk[k++] = tbl[b >> 18];
        chunk[k++] = tbl[(b >> 12) & 63];
        chunk[k++] = i + 1 < n ? tbl[(b >> 6) & 63] : '=';
        chunk[k++] = i + 2 < n ? tbl[b & 63] : '=';
        if (k == sizeof chunk) { kw__emit(w, chunk, k); k = 0; }
    }
    kw__emit(w, chunk, k), kw__emit(w, "\"", 1);
}

/* Member name inside an object; the member's value must be written next. */
static inline void kw_namen(kw_writer *w, const char *name, size_t n) {
    kw_put_strn(w, name, n), kw__emit(w, ":", 1), w->after_name = 1;
}
static inline void kw_name(kw_writer *w, const char *name) { kw_namen(w, name, strlen(name)); }
static inline void kw_field_str(kw_writer *w, const char *name, const char *s) { kw_name(w, name); kw_put_str(w, s); }
static inline void kw_field_bool(kw_writer *w, const char *name, int b) { kw_name(w, name); kw_put_bool(w, b); }
static inline void kw_field_int(kw_writer *w, const char *name, long long v) { kw_name(w, name); kw_put_int(w, v); }
static inline void kw_field_value(kw_writer *w, const char *name, const kw_value *v) { kw_name(w, name); kw_put_value(w, v); }

/* ================================================================ envelope */
/* Writes all n bytes to fd (1 = stdout, 2 = stderr). */
static inline void kw_write_fd(int fd, const char *p, size_t n) {
    ssize_t r;
    while (n > 0 && (r = write(fd, p, n)) > 0) p += r, n -= (size_t)r;
}

/* Reads fd to its end; returns a malloc'ed, NUL-terminated buffer (NULL on error). */
static inline KW__NOINLINE char *kw_read_all(int fd, size_t *len) {
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap), *p;
    while (buf) {
        ssize_t r;
        if (cap - n < 2) {
            if (cap > SIZE_MAX / 2 || !(p = realloc(buf, cap * 2))) break;
            buf = p, cap *= 2;
        }
        if ((r = read(fd, buf + n, cap - n - 1)) < 0) break;
        if (r == 0) { buf[n] = '\0'; *len = n; return buf; }
        n += (size_t)r;
    }
    free(buf);
    return NULL;
}

/* Writes the failure envelope {"error": msg} to stdout. */
static inline KW__NOINLINE void kw_output_error(const char *msg) {
    static const char oom[] = "{\"error\":\"out of memory\"}";
    kw_writer w;
    kw_writer_init(&w), kw_obj_begin(&w);
    kw_field_str(&w, "error", msg && *msg ? msg : "unknown error");
    kw_obj_end(&w);
    if (w.failed) kw_write_fd(1, oom, sizeof oom - 1); else kw_write_fd(1, w.buf, w.len);
    kw_writer_free(&w);
}

/* Starts the success envelope: initialises w and writes {"response":
 * Then write exactly one value (the response object) and call kw_end_response. */
static inline void kw_begin_response(kw_writer *w) { kw_writer_init(w), kw_obj_begin(w), kw_name(w, "response"); }

/* Closes the envelope, writes it to stdout (or an error envelope if writing
 * failed) and frees w. */
static inline KW__NOINLINE void kw_end_response(kw_writer *w) {
    kw_obj_end(w);
    if (w->failed || w->depth != 0)
        kw_output_error("could not build the response (out of memory, nested too deep or unbalanced)");
    else
        kw_write_fd(1, w->buf, w->len);
    kw_writer_free(w);
}

typedef struct {
    char *data;               /* all of stdin, NUL-terminated */
    size_t len;
    kw_value *root;           /* the parsed envelope */
    const kw_value *request;  /* envelope "request": always a JSON object */
    const kw_value *settings; /* envelope "settings"; NULL when missing or null */
    char error[224];          /* the reason when kw_read_input fails */
} kw_input;

static inline void kw_input_free(kw_input *in) {
    kw_free(in->root), free(in->data);
    in->root = NULL, in->data = NULL, in->request = in->settings = NULL;
}
/* Reads and parses the input envelope from stdin. Returns 0, or -1 with a
 * readable reason in in->error (then nothing needs freeing); on -1 the module
 * should answer kw_output_error(in->error) and return. */
static inline KW__NOINLINE int kw_read_input(kw_input *in) {
    char why[160] = "";
    memset(in, 0, sizeof *in);
    if (!(in->data = kw_read_all(0, &in->len))) kw_cat(why, sizeof why, "could not read stdin");
    else if (!(in->root = kw_parse(in->data, in->len, why, sizeof why))) { /* why is set */ }
    else if (in->root->type != KW_OBJECT)
        kw_cat(why, sizeof why, "expected a JSON object {\"request\": ..., \"settings\": ...}");
    else if (kw_is_null(in->request = kw_get(in->root, "request")))
        kw_cat(why, sizeof why, "\"request\" is missing or null");
    else if (in->request->type != KW_OBJECT)
        kw_cat(why, sizeof why, "\"request\" is not a JSON object");
    if (why[0]) {
        kw_input_free(in);
        kw_cat(in->error, sizeof in->error, "invalid input envelope: "), kw_cat(in->error, sizeof in->error, why);
        return -1;
    }
    in->settings = kw_get(in->root, "settings");
    if (kw_is_null(in->settings)) in->settings = NULL;
    return 0;
}

/* Reads the input envelope; on failure answers {"error": ...} itself. Returns 1
 * when the input is usable, 0 when the module should just return:
 *     kw_input in;
 *     if (!kw_read_input_or_answer(&in)) return;                              */
static inline int kw_read_input_or_answer(kw_input *in) {
    if (kw_read_input(in) == 0) return 1;
    kw_output_error(in->error);
    return 0;
}

/* ========================================================== review answers
 * One call per answer: each writes the whole output envelope, echoing what the
 * host checks (the request's apiVersion and kind, the admission uid). */

/* A user, for kw_authn_answer. groups is a NULL-terminated list (or NULL). */
typedef struct {
    const char *username;
    const char *uid;            /* NULL: none */
    const char *const *groups;  /* NULL: none */
} kw_user;

/* Answers a TokenReview (review = in.request): authenticated as *user, or not
 * authenticated when user is NULL. Echoes apiVersion, kind and spec. */
static inline KW__NOINLINE void kw_authn_answer(const kw_value *review, const kw_user *user) {
    kw_writer w;
    const kw_value *spec = kw_get(review, "spec");
    kw_begin_response(&w);
    kw_obj_begin(&w);
    kw_field_str(&w, "apiVersion", kw_str(kw_get(review, "apiVersion"), "authentication.k8s.io/v1"));
    kw_field_str(&w, "kind", kw_str(kw_get(review, "kind"), "TokenReview"));
    if (spec) kw_field_value(&w, "spec", spec);
    kw_name(&w, "status");
    kw_obj_begin(&w);
    kw_field_bool(&w, "authenticated", user != NULL);
    if (user) {
        kw_name(&w, "user");
        kw_obj_begin(&w);
        kw_field_str(&w, "username", user->username);
        if (user->uid) kw_field_str(&w, "uid", user->uid);
        if (user->groups) {
            const char *const *g;
            kw_name(&w, "groups");
            kw_arr_begin(&w);
            for (g = user->groups; *g; g++) kw_put_str(&w, *g);
            kw_arr_end(&w);
        }
        kw_obj_end(&w);
    }
    kw_obj_end(&w); /* status */
    kw_obj_end(&w); /* TokenReview */
    kw_end_response(&w);
}

/* Answers a SubjectAccessReview (review = in.request): allowed, denied, or
 * neither (no opinion: the next authorizer decides), with an optional reason.
 * Echoes apiVersion (v1 or v1beta1), kind and spec. */
static inline KW__NOINLINE void kw_authz_answer(const kw_value *review, int allowed, int denied, const char *reason) {
    kw_writer w;
    const kw_value *spec = kw_get(review, "spec");
    kw_begin_response(&w);
    kw_obj_begin(&w);
    kw_field_str(&w, "apiVersion", kw_str(kw_get(review, "apiVersion"), "authorization.k8s.io/v1"));
    kw_field_str(&w, "kind", kw_str(kw_get(review, "kind"), "SubjectAccessReview"));
    if (spec) kw_field_value(&w, "spec", spec);
    kw_name(&w, "status");
    kw_obj_begin(&w);
    kw_field_bool(&w, "allowed", allowed);
    if (denied) kw_field_bool(&w, "denied", 1);
    if (reason && *reason) kw_field_str(&w, "reason", reason);
    kw_obj_end(&w); /* status */
    kw_obj_end(&w); /* SubjectAccessReview */
    kw_end_response(&w);
}

/* An AdmissionReview input, read by kw_admission_read. */
typedef struct {
    kw_input in;
    const kw_value *request;    /* the AdmissionRequest (review.request): an object */
    const kw_value *uid;        /* request.uid: a string */
    const kw_value *object;     /* request.object: an object, or NULL (DELETE, CONNECT) */
    const kw_value *old_object; /* request.oldObject if it is an object, else NULL */
    const kw_value *settings;   /* the module's settings, or NULL */
    const char *operation;      /* CREATE, UPDATE, DELETE, CONNECT ("" if missing) */
} kw_admission;

static inline void kw_admission_free(kw_admission *a) { kw_input_free(&a->in); }

/* Reads an AdmissionReview: the envelope, request, uid and objects. On failure
 * answers {"error": ...} itself and returns 0; the module then just returns:
 *     kw_admission a;
 *     if (!kw_admission_read(&a)) return;                                     */
static inline KW__NOINLINE int kw_admission_read(kw_admission *a) {
    const char *problem = NULL;
    memset(a, 0, sizeof *a);
    if (!kw_read_input_or_answer(&a->in)) return 0;
    a->request = kw_get(a->in.request, "request");
    a->uid = kw_get(a->request, "uid");
    a->object = kw_get(a->request, "object");
    a->old_object = kw_get(a->request, "oldObject");
    a->settings = a->in.settings;
    a->operation = kw_str(kw_get(a->request, "operation"), "");
    if (!kw_is(a->request, KW_OBJECT)) problem = "the AdmissionReview has no \"request\"";
    else if (!kw_is(a->uid, KW_STRING)) problem = "the AdmissionReview request has no \"uid\"";
    else if (!kw_is_null(a->object) && !kw_is(a->object, KW_OBJECT)) problem = "request.object is not a JSON object";
    if (problem) {
        kw_output_error(problem);
        kw_admission_free(a);
        return 0;
    }
    if (kw_is_null(a->object)) a->object = NULL;
    if (!kw_is(a->old_object, KW_OBJECT)) a->old_object = NULL;
    return 1;
}

/* Starts an admission answer: the envelope, the review and the response up to
 * "allowed". Add more response members with w (status, warnings,
 * auditAnnotations, patchType + patch), then call kw_admission_end(w). */
static inline KW__NOINLINE void kw_admission_begin(const kw_admission *a, kw_writer *w, int allowed) {
    kw_begin_response(w);
    kw_obj_begin(w);
    kw_field_str(w, "apiVersion", "admission.k8s.io/v1");
    kw_field_str(w, "kind", "AdmissionReview");
    kw_name(w, "response");
    kw_obj_begin(w);
    kw_field_value(w, "uid", a->uid);
    kw_field_bool(w, "allowed", allowed);
}

/* Closes what kw_admission_begin opened and sends the answer. */
static inline KW__NOINLINE void kw_admission_end(kw_writer *w) {
    kw_obj_end(w); /* response */
    kw_obj_end(w); /* AdmissionReview */
    kw_end_response(w);
}

/* Admits the request unchanged. */
static inline KW__NOINLINE void kw_admission_allow(const kw_admission *a) {
    kw_writer w;
    kw_admission_begin(a, &w, 1);
    kw_admission_end(&w);
}

/* Denies the request with an HTTP code (e.g. 403; 0: none) and a message. */
static inline KW__NOINLINE void kw_admission_deny(const kw_admission *a, int code, const char *message) {
    kw_writer w;
    kw_admission_begin(a, &w, 0);
    kw_name(&w, "status");
    kw_obj_begin(&w);
    if (message) kw_field_str(&w, "message", message);
    if (code) kw_field_int(&w, "code", code);
    kw_obj_end(&w);
    kw_admission_end(&w);
}

/* Admits the request changed to the complete object written in `object` (a
 * "Full" patch; the host turns it into a JSONPatch). An unusable writer (out of
 * memory) becomes an error answer. */
static inline KW__NOINLINE void kw_admission_mutate(const kw_admission *a, const kw_writer *object) {
    kw_writer w;
    if (object->failed || object->depth != 0 || object->len == 0) {
        kw_output_error("out of memory while building the patch");
        return;
    }
    kw_admission_begin(a, &w, 1);
    kw_field_str(&w, "patchType", "Full");
    kw_name(&w, "patch");
    kw_put_base64(&w, object->buf, object->len);
    kw_admission_end(&w);
}

/* ====================================================== editing an object */
/* Writes what member `key` becomes; `old` is its current value, or NULL. */
typedef void (*kw_put_member_fn)(kw_writer *w, const kw_value *old, void *ctx);

/* Writes `object` (anything but an object, such as NULL or JSON null, counts as {}) with member `key`
 * set to what `put` writes: in place of the existing member (its last
 * occurrence, as kw_get sees it; other occurrences are dropped) or appended.
 * Every other member is copied verbatim (kw_put_value). */
static inline KW__NOINLINE void kw_put_object_set(kw_writer *w, const kw_value *object, const char *key,
                                     kw_put_member_fn put, void *ctx) {
    const kw_value *old = kw_get(object, key);
    size_t i, n = kw_is(object, KW_OBJECT) ? object->len : 0;
    kw_obj_begin(w);
    for (i = 0; i < n; i++) {
        const kw_value *name = &object->keys[i];
        if (kw_str_eq(name, key)) {
            if (&object->items[i] != old) continue; /* an earlier duplicate */
            kw_name(w, key);
            put(w, old, ctx);
            continue;
        }
        kw_namen(w, name->str, name->len);
        kw_put_value(w, &object->items[i]);
    }
    if (!old) {
        kw_name(w, key);
        put(w, NULL, ctx);
    }
    kw_obj_end(w);
}

#endif /* K8S_WASM_GUEST_H */
