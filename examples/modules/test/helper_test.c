/*
 * Native unit test + mutation fuzzer for src/k8s_wasm_guest.h.
 * Run (any Linux host with clang): examples/modules/test/run_helper_test.sh
 * It is built with AddressSanitizer and UndefinedBehaviorSanitizer.
 */
#include "k8s_wasm_guest.h"

#include <stdio.h>

static int failures;
#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) { fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond); failures++; } \
    } while (0)

static kw_value *parse(const char *s) { return kw_parse(s, strlen(s), NULL, 0); }

/* Parses s, expects success, and returns the value's re-serialised text. */
static void expect_string(const char *json, const char *want, size_t want_len) {
    kw_value *v = parse(json);
    CHECK(v && v->type == KW_STRING);
    if (v && v->type == KW_STRING) {
        CHECK(v->len == want_len && memcmp(v->str, want, want_len) == 0);
        if (v->len != want_len || memcmp(v->str, want, want_len)) fprintf(stderr, "  %s -> %zu bytes\n", json, v->len);
        CHECK(v->str[v->len] == '\0');
    }
    kw_free(v);
}

static void expect_invalid(const char *json, const char *msg_part) {
    char err[200] = "";
    kw_value *v = kw_parse(json, strlen(json), err, sizeof err);
    CHECK(v == NULL);
    if (v) fprintf(stderr, "  unexpectedly parsed: %s\n", json);
    if (msg_part && !strstr(err, msg_part)) {
        fprintf(stderr, "  %s -> '%s' (wanted '%s')\n", json, err, msg_part);
        failures++;
    }
    kw_free(v);
}

static double num(const char *s) {
    kw_value *v = parse(s);
    double d = kw_num(v, -12345.0);
    CHECK(kw_is(v, KW_NUMBER));
    kw_free(v);
    return d;
}

/* Writes v from its DOM (not from raw), for round-trip checks. */
static void write_dom(kw_writer *w, const kw_value *v) {
    size_t i;
    switch (v->type) {
    case KW_NULL: kw_put_null(w); break;
    case KW_BOOL: kw_put_bool(w, v->boolean); break;
    case KW_NUMBER: kw_put_raw(w, v->raw, v->raw_len); break;
    case KW_STRING: kw_put_strn(w, v->str, v->len); break;
    case KW_ARRAY:
        kw_arr_begin(w);
        for (i = 0; i < v->len; i++) write_dom(w, &v->items[i]);
        kw_arr_end(w);
        break;
    case KW_OBJECT:
        kw_obj_begin(w);
        for (i = 0; i < v->len; i++) { kw_namen(w, v->keys[i].str, v->keys[i].len); write_dom(w, &v->items[i]); }
        kw_obj_end(w);
        break;
    }
}

static int same(const kw_value *a, const kw_value *b) {
    size_t i;
    if (a->type != b->type) return 0;
    switch (a->type) {
    case KW_NULL: return 1;
    case KW_BOOL: return a->boolean == b->boolean;
    case KW_NUMBER: return a->number == b->number || (a->number != a->number && b->number != b->number);
    case KW_STRING: return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
    default:
        if (a->len != b->len) return 0;
        for (i = 0; i < a->len; i++) {
            if (!same(&a->items[i], &b->items[i])) return 0;
            if (a->type == KW_OBJECT && !same(&a->keys[i], &b->keys[i])) return 0;
        }
        return 1;
    }
}

static void roundtrip(const char *json, size_t len) {
    kw_value *a = kw_parse(json, len, NULL, 0), *b;
    kw_writer w;
    if (!a) return;
    kw_writer_init(&w);
    write_dom(&w, a);
    CHECK(!w.failed);
    b = kw_parse(w.buf, w.len, NULL, 0);
    CHECK(b && same(a, b));
    kw_free(b);
    kw_free(a);
    kw_writer_free(&w);
}

static uint64_t rng = 88172645463325252ULL;
static uint64_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

static void fuzz(const char *const *seeds, size_t nseeds, int rounds) {
    static const char alphabet[] = "{}[]\",:\\u0123456789abcdefABCDEF.eE+-tfn \n\t\x01\x7f\xc3\xa9\xed\xa0\x80\xf0\x9f\x98\x80";
    char buf[4096];
    int r;
    for (r = 0; r < rounds; r++) {
        const char *seed = seeds[next() % nseeds];
        size_t len = strlen(seed), edits = 1 + next() % 6, k;
        memcpy(buf, seed, len);
        for (k = 0; k < edits && len > 0; k++) {
            size_t at = next() % len;
            switch (next() % 4) {
            case 0: buf[at] = alphabet[next() % (sizeof alphabet - 1)]; break;          /* replace */
            case 1: memmove(buf + at, buf + at + 1, len - at - 1); len--; break;         /* delete */
            case 2: if (len + 1 < sizeof buf) {                                          /* insert */
                    memmove(buf + at + 1, buf + at, len - at); buf[at] = alphabet[next() % (sizeof alphabet - 1)]; len++;
                } break;
            default: len = at; break;                                                   /* truncate */
            }
        }
        {   /* parse from an exact-size heap copy so ASan catches any over-read */
            char *copy = malloc(len ? len : 1);
            memcpy(copy, buf, len);
            roundtrip(copy, len);
            free(copy);
        }
    }
}


/* ---------------------------------------------------------------- answers */
/* Runs fn with stdin = `input` and stdout captured; returns what it wrote
 * (malloc'ed, NUL-terminated). */
static char *run_module(void (*fn)(void), const char *input) {
    int in[2], out[2], saved_in = dup(0), saved_out = dup(1);
    char *buf = malloc(1 << 16);
    size_t n = 0;
    ssize_t r;
    CHECK(buf && pipe(in) == 0 && pipe(out) == 0);
    kw_write_fd(in[1], input, strlen(input));
    close(in[1]);
    dup2(in[0], 0), dup2(out[1], 1);
    close(in[0]), close(out[1]);
    fn();
    dup2(saved_in, 0), dup2(saved_out, 1);
    close(saved_in), close(saved_out);
    while ((r = read(out[0], buf + n, (1 << 16) - 1 - n)) > 0) n += (size_t)r;
    close(out[0]);
    buf[n] = '\0';
    return buf;
}

static void expect_output(void (*fn)(void), const char *input, const char *want) {
    char *got = run_module(fn, input);
    CHECK(strcmp(got, want) == 0);
    if (strcmp(got, want) != 0) fprintf(stderr, "  input:  %s\n  output: %s\n  wanted: %s\n", input, got, want);
    free(got);
}

static const char *const test_groups[] = {"g1", "g2", NULL};
static void authn_yes(void) {
    static const kw_user u = {"u", "7", test_groups};
    kw_input in;
    if (!kw_read_input_or_answer(&in)) return;
    kw_authn_answer(in.request, &u);
    kw_input_free(&in);
}
static void authn_bare_user(void) {
    static const kw_user u = {"u", NULL, NULL};
    kw_input in;
    if (!kw_read_input_or_answer(&in)) return;
    kw_authn_answer(in.request, &u);
    kw_input_free(&in);
}
static void authn_no(void) {
    kw_input in;
    if (!kw_read_input_or_answer(&in)) return;
    kw_authn_answer(in.request, NULL);
    kw_input_free(&in);
}
static void authz_deny(void) {
    kw_input in;
    if (!kw_read_input_or_answer(&in)) return;
    kw_authz_answer(in.request, 0, 1, "nope");
    kw_input_free(&in);
}
static void authz_no_opinion(void) {
    kw_input in;
    if (!kw_read_input_or_answer(&in)) return;
    kw_authz_answer(in.request, 0, 0, "");
    kw_input_free(&in);
}
static void admission_allow(void) {
    kw_admission a;
    if (!kw_admission_read(&a)) return;
    CHECK(a.object == NULL || kw_is(a.object, KW_OBJECT));
    kw_admission_allow(&a);
    kw_admission_free(&a);
}
static void admission_deny(void) {
    kw_admission a;
    if (!kw_admission_read(&a)) return;
    kw_admission_deny(&a, 0, "why");
    kw_admission_free(&a);
}
static void admission_details(void) {
    kw_admission a;
    kw_writer w;
    if (!kw_admission_read(&a)) return;
    kw_admission_begin(&a, &w, 1);
    kw_name(&w, "warnings");
    kw_arr_begin(&w);
    kw_put_str(&w, a.operation);
    kw_put_str(&w, kw_str(kw_get(a.settings, "s"), "-"));
    kw_put_str(&w, kw_str(kw_path(a.old_object, "metadata.name"), "-"));
    kw_arr_end(&w);
    kw_admission_end(&w);
    kw_admission_free(&a);
}
static void put_x(kw_writer *w, const kw_value *old, void *ctx) {
    kw_put_str(w, old ? "was-set" : (const char *)ctx);
}
static void admission_mutate(void) {
    kw_admission a;
    kw_writer o;
    if (!kw_admission_read(&a)) return;
    kw_writer_init(&o);
    kw_put_object_set(&o, a.object, "x", put_x, "new");
    kw_admission_mutate(&a, &o);
    kw_writer_free(&o);
    kw_admission_free(&a);
}
static void admission_mutate_broken(void) {
    kw_admission a;
    kw_writer o;
    if (!kw_admission_read(&a)) return;
    kw_writer_init(&o);
    kw_obj_begin(&o); /* unbalanced */
    kw_admission_mutate(&a, &o);
    kw_writer_free(&o);
    kw_admission_free(&a);
}

/* kw_put_object_set on `json` (NULL: no object) */
static void expect_set(const char *json, const char *want) {
    kw_value *v = json ? parse(json) : NULL;
    kw_writer w;
    kw_writer_init(&w);
    kw_put_object_set(&w, v, "x", put_x, "new");
    CHECK(!w.failed && w.len == strlen(want) && memcmp(w.buf, want, w.len) == 0);
    if (w.failed || w.len != strlen(want) || memcmp(w.buf, want, w.len) != 0)
        fprintf(stderr, "  set x in %s -> %.*s (wanted %s)\n", json ? json : "NULL", (int)w.len, w.buf ? w.buf : "", want);
    kw_writer_free(&w);
    kw_free(v);
}

static void test_answers(void) {
    const char *tr = "{\"request\":{\"apiVersion\":\"authentication.k8s.io/v1beta1\",\"kind\":\"TokenReview\",\"spec\":{ \"token\" : \"t\" }}}";
    expect_output(authn_yes, tr,
        "{\"response\":{\"apiVersion\":\"authentication.k8s.io/v1beta1\",\"kind\":\"TokenReview\",\"spec\":{ \"token\" : \"t\" },"
        "\"status\":{\"authenticated\":true,\"user\":{\"username\":\"u\",\"uid\":\"7\",\"groups\":[\"g1\",\"g2\"]}}}}");
    expect_output(authn_bare_user, "{\"request\":{}}",
        "{\"response\":{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\","
        "\"status\":{\"authenticated\":true,\"user\":{\"username\":\"u\"}}}}");
    expect_output(authn_no, tr,
        "{\"response\":{\"apiVersion\":\"authentication.k8s.io/v1beta1\",\"kind\":\"TokenReview\",\"spec\":{ \"token\" : \"t\" },"
        "\"status\":{\"authenticated\":false}}}");
    expect_output(authn_no, "[]", "{\"error\":\"invalid input envelope: expected a JSON object {\\\"request\\\": ..., \\\"settings\\\": ...}\"}");

    expect_output(authz_deny, "{\"request\":{\"spec\":{\"user\":\"u\"}}}",
        "{\"response\":{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\",\"spec\":{\"user\":\"u\"},"
        "\"status\":{\"allowed\":false,\"denied\":true,\"reason\":\"nope\"}}}");
    expect_output(authz_no_opinion, "{\"request\":{\"apiVersion\":\"authorization.k8s.io/v1beta1\",\"kind\":\"SubjectAccessReview\"}}",
        "{\"response\":{\"apiVersion\":\"authorization.k8s.io/v1beta1\",\"kind\":\"SubjectAccessReview\",\"status\":{\"allowed\":false}}}");

    const char *ar = "{\"request\":{\"request\":{\"uid\":\"u-1\",\"operation\":\"UPDATE\",\"object\":{\"a\":1},"
                     "\"oldObject\":{\"metadata\":{\"name\":\"old\"}}}},\"settings\":{\"s\":\"v\"}}";
    expect_output(admission_allow, ar,
        "{\"response\":{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":{\"uid\":\"u-1\",\"allowed\":true}}}");
    expect_output(admission_allow, "{\"request\":{\"request\":{\"uid\":\"u-2\",\"object\":null,\"oldObject\":7}}}",
        "{\"response\":{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":{\"uid\":\"u-2\",\"allowed\":true}}}");
    expect_output(admission_deny, ar,
        "{\"response\":{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":{\"uid\":\"u-1\",\"allowed\":false,"
        "\"status\":{\"message\":\"why\"}}}}");
    expect_output(admission_details, ar,
        "{\"response\":{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":{\"uid\":\"u-1\",\"allowed\":true,"
        "\"warnings\":[\"UPDATE\",\"v\",\"old\"]}}}");
    /* {"a":1,"x":"new"} */
    expect_output(admission_mutate, ar,
        "{\"response\":{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":{\"uid\":\"u-1\",\"allowed\":true,"
        "\"patchType\":\"Full\",\"patch\":\"eyJhIjoxLCJ4IjoibmV3In0=\"}}}");
    expect_output(admission_mutate_broken, ar, "{\"error\":\"out of memory while building the patch\"}");
    expect_output(admission_allow, "{\"request\":{}}", "{\"error\":\"the AdmissionReview has no \\\"request\\\"\"}");
    expect_output(admission_allow, "{\"request\":{\"request\":{\"uid\":1}}}", "{\"error\":\"the AdmissionReview request has no \\\"uid\\\"\"}");
    expect_output(admission_allow, "{\"request\":{\"request\":{\"uid\":\"u\",\"object\":[]}}}", "{\"error\":\"request.object is not a JSON object\"}");
    expect_output(admission_allow, "{\"request\":", "{\"error\":\"invalid input envelope: invalid JSON at byte 11: unexpected end of input\"}");

    expect_set(NULL, "{\"x\":\"new\"}");
    expect_set("null", "{\"x\":\"new\"}");
    expect_set("[1,2]", "{\"x\":\"new\"}");
    expect_set("{}", "{\"x\":\"new\"}");
    expect_set("{ \"a\" : [1, 2.50] , \"b\":\"\\u00e9\"}", "{\"a\":[1, 2.50],\"b\":\"\\u00e9\",\"x\":\"new\"}");
    expect_set("{\"x\":1,\"a\":2}", "{\"x\":\"was-set\",\"a\":2}");
    expect_set("{\"x\":1,\"a\":2,\"x\":3}", "{\"a\":2,\"x\":\"was-set\"}");
}

int main(void) {
    kw_value *v;
    kw_writer w;
    char b[32];

    /* strings and escapes */
    expect_string("\"plain\"", "plain", 5);
    expect_string("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "a\"b\\c/d\b\f\n\r\t", 12);
    expect_string("\"\\u0041\\u00e9\\u20AC\"", "A\xc3\xa9\xe2\x82\xac", 6);
    expect_string("\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80", 4);          /* surrogate pair */
    expect_string("\"\\ud83dx\"", "\xef\xbf\xbdx", 4);                   /* lone high */
    expect_string("\"\\ude00\"", "\xef\xbf\xbd", 3);                     /* lone low */
    expect_string("\"\\ud83d\\u0041\"", "\xef\xbf\xbd" "A", 4);          /* high + non-low */
    expect_string("\"a\\u0000b\"", "a\0b", 3);
    expect_string("\"\xc3\xa9\xf0\x9f\x98\x80\"", "\xc3\xa9\xf0\x9f\x98\x80", 6);
    expect_string("  \"x\"  ", "x", 1);
    expect_invalid("\"abc", "unterminated");
    expect_invalid("\"abc\\", "unterminated");
    expect_invalid("\"\\x\"", "invalid escape");
    expect_invalid("\"\\u12\"", "\\u escape");
    expect_invalid("\"\\u12G4\"", "\\u escape");
    expect_invalid("\"a\nb\"", "control character");
    expect_invalid("\"\xc3\"", "UTF-8");
    expect_invalid("\"\xc0\x80\"", "UTF-8");            /* overlong */
    expect_invalid("\"\xed\xa0\x80\"", "UTF-8");        /* encoded surrogate */
    expect_invalid("\"\xf4\x90\x80\x80\"", "UTF-8");    /* > U+10FFFF */
    expect_invalid("\"\xff\"", "UTF-8");

    /* numbers */
    CHECK(num("0") == 0 && num("-0") == 0 && num("42") == 42 && num("-17") == -17);
    CHECK(num("1.5") == 1.5 && num("2.5e3") == 2500 && num("1E-2") == 0.01 && num("-1.25e+2") == -125);
    CHECK(num("9007199254740993") == 9007199254740992.0);
    CHECK(num("12345678901234567890") == 12345678901234567890.0);
    CHECK(num("1e400") > 1.7976931348623157e308 && num("1e-400") == 0 && num("0.000001") == 0.000001);
    CHECK(num("123456789012345678901234567890e-10") > 1.2345678901e19);
    expect_invalid("01", "after the JSON value");
    expect_invalid("-", "invalid number");
    expect_invalid("1.", "invalid number");
    expect_invalid("1e", "invalid number");
    expect_invalid("+1", "expected a JSON value");
    expect_invalid(".5", "expected a JSON value");

    /* literals, structure, errors */
    v = parse(" [true, false, null, {\"a\": [1, {\"b\": \"c\"}]}] ");
    CHECK(kw_len(v) == 4 && kw_bool(kw_at(v, 0), 0) == 1 && kw_bool(kw_at(v, 1), 1) == 0);
    CHECK(kw_is_null(kw_at(v, 2)) && kw_is(kw_at(v, 2), KW_NULL) && kw_is_null(kw_at(v, 9)));
    CHECK(kw_str_eq(kw_path(v, "3.a.1.b"), "c") && kw_path(v, "3.a.2") == NULL && kw_path(v, "x") == NULL);
    CHECK(kw_num(kw_path(kw_at(v, 3), "a.0"), 0) == 1);
    CHECK(kw_at(v, 3)->raw_len == strlen("{\"a\": [1, {\"b\": \"c\"}]}"));
    kw_free(v);
    v = parse("{\"k\":1,\"a.b\":2,\"k\":3,\"\":4}");
    CHECK(kw_num(kw_get(v, "k"), 0) == 3 && kw_num(kw_get(v, "a.b"), 0) == 2 && kw_num(kw_get(v, ""), 0) == 4);
    CHECK(strcmp(kw_key_at(v, 1), "a.b") == 0 && kw_key_at(v, 4) == NULL && kw_path(v, "a.b") == NULL);
    CHECK(kw_get(NULL, "x") == NULL && kw_str(NULL, "d")[0] == 'd' && kw_len(NULL) == 0);
    kw_free(v);
    v = parse("{\"groups\":[\"a\",1,\"magic-group\"]}");
    CHECK(kw_contains_str(kw_get(v, "groups"), "magic-group") && !kw_contains_str(kw_get(v, "groups"), "b"));
    CHECK(!kw_contains_str(v, "groups"));
    kw_free(v);
    expect_invalid("", "unexpected end");
    expect_invalid("   ", "unexpected end");
    expect_invalid("{", "expected a string");
    expect_invalid("{\"a\"}", "expected ':'");
    expect_invalid("{\"a\":1,}", "expected a string");
    expect_invalid("[1,]", "expected a JSON value");
    expect_invalid("[1 2]", "expected ',' or ']'");
    expect_invalid("{\"a\":1 \"b\":2}", "expected ',' or '}'");
    expect_invalid("tru", "invalid literal");
    expect_invalid("nul", "invalid literal");
    expect_invalid("{} {}", "after the JSON value");
    expect_invalid("this is not json{", "at byte 0: invalid literal");
    expect_invalid("<html>", "at byte 0: expected a JSON value");
    {
        char deep[2 * KW_MAX_DEPTH + 8];
        size_t i;
        for (i = 0; i < KW_MAX_DEPTH; i++) { deep[i] = '['; deep[KW_MAX_DEPTH + i] = ']'; }
        deep[2 * KW_MAX_DEPTH] = '\0';
        v = parse(deep);
        CHECK(v != NULL);
        kw_free(v);
        memmove(deep + 1, deep, 2 * KW_MAX_DEPTH + 1);
        deep[0] = '[';
        strcat(deep, "]");
        expect_invalid(deep, "nesting too deep");
    }

    /* writer */
    kw_writer_init(&w);
    kw_obj_begin(&w);
    kw_field_str(&w, "s", "q\"b\\n\n\x01\x1f\xc3\xa9");
    kw_name(&w, "a");
    kw_arr_begin(&w);
    kw_put_int(&w, 0); kw_put_int(&w, -42); kw_put_int(&w, (long long)(-9223372036854775807LL - 1));
    kw_put_bool(&w, 1); kw_put_null(&w); kw_put_str(&w, NULL);
    kw_obj_begin(&w); kw_obj_end(&w); kw_arr_begin(&w); kw_arr_end(&w);
    kw_arr_end(&w);
    kw_field_bool(&w, "f", 0);
    kw_namen(&w, "n\0ul", 4); kw_put_raw(&w, "1.50", 4);
    kw_obj_end(&w);
    {
        const char *want = "{\"s\":\"q\\\"b\\\\n\\n\\u0001\\u001f\xc3\xa9\",\"a\":[0,-42,-9223372036854775808,true,null,\"\",{},[]],"
                           "\"f\":false,\"n\\u0000ul\":1.50}";
        CHECK(!w.failed && w.depth == 0 && w.len == strlen(want) && memcmp(w.buf, want, w.len) == 0);
        if (w.len != strlen(want) || memcmp(w.buf, want, w.len)) fprintf(stderr, "  got %.*s\n", (int)w.len, w.buf);
    }
    kw_writer_free(&w);
    kw_writer_init(&w); kw_obj_end(&w); CHECK(w.failed); kw_writer_free(&w);           /* unbalanced */
    kw_writer_init(&w); kw_obj_begin(&w); kw_name(&w, "x"); kw_obj_end(&w); CHECK(w.failed); kw_writer_free(&w);
    {
        int i;
        kw_writer_init(&w);
        for (i = 0; i <= KW_MAX_DEPTH; i++) kw_arr_begin(&w);
        CHECK(w.failed);
        kw_writer_free(&w);
    }

    /* base64 (RFC 4648 test vectors) */
    {
        static const char *const in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
        static const char *const out[] = {"\"\"", "\"Zg==\"", "\"Zm8=\"", "\"Zm9v\"", "\"Zm9vYg==\"", "\"Zm9vYmE=\"", "\"Zm9vYmFy\""};
        size_t i;
        for (i = 0; i < 7; i++) {
            kw_writer_init(&w);
            kw_put_base64(&w, in[i], strlen(in[i]));
            CHECK(w.len == strlen(out[i]) && memcmp(w.buf, out[i], w.len) == 0);
            kw_writer_free(&w);
        }
        char big[1000];
        for (i = 0; i < sizeof big; i++) big[i] = (char)(i * 7);
        kw_writer_init(&w);
        kw_put_base64(&w, big, sizeof big);
        CHECK(w.len == 2 + 4 * ((sizeof big + 2) / 3) && !w.failed);
        kw_writer_free(&w);
    }
    CHECK(strcmp(kw_fmt_int(b, 9223372036854775807LL), "9223372036854775807") == 0);
    CHECK(strcmp(kw_fmt_int(b, -9223372036854775807LL - 1), "-9223372036854775808") == 0);

    /* fuzz: mutate valid documents; the parser must never misbehave and every
     * accepted document must survive a DOM round trip */
    {
        static const char *const seeds[] = {
            "{\"request\":{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\"magic-token\",\"audiences\":[\"a\",\"b\"]}},\"settings\":null}",
            "{\"a\":[1,-2.5e3,true,false,null,\"\\u00e9\\ud83d\\ude00\\n\"],\"b\":{\"c\":{}},\"d\":[]}",
            "[[[[[[[[[[[[[[[[[[[[\"deep\"]]]]]]]]]]]]]]]]]]]]",
            "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \\\" \\\\ \\/ \\b\\f\\n\\r\\t\"",
            "  {\"x\" : 0.000123 , \"y\" : -0 , \"z\" : 1E+300 }  ",
        };
        size_t i;
        for (i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
            v = parse(seeds[i]);
            CHECK(v != NULL);
            kw_free(v);
        }
        fuzz(seeds, sizeof seeds / sizeof seeds[0], 300000);
    }

    test_answers();

    if (failures) { fprintf(stderr, "%d check(s) FAILED\n", failures); return 1; }
    printf("helper_test: all checks passed\n");
    return 0;
}
