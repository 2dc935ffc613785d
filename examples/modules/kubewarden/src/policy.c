/*
 * policy.c - the logic of the k8s-wasm Kubewarden test policy (see policy.h
 * and ../README.md). It exercises the whole Kubewarden policy ABI: settings
 * validation, accept / reject (message + code), mutation, warnings, audit
 * annotations, guest errors and the host capabilities net/v1/dns_lookup_host,
 * kubernetes/can_i and kubernetes/get_resource.
 */
#include "policy.h"

/* ------------------------------------------------------------- utilities */

void kwp_result_init(kwp_result *r) {
    kw_writer_init(&r->out);
    r->error = NULL;
}

void kwp_result_free(kwp_result *r) {
    kw_writer_free(&r->out);
    free(r->error);
    r->error = NULL;
}

/* a + b[0..bn) as a malloc'ed, NUL-terminated string (NULL if out of memory) */
static char *concat(const char *a, const char *b, size_t bn) {
    size_t an = strlen(a);
    char *s = malloc(an + bn + 1);
    if (!s) return NULL;
    memcpy(s, a, an);
    if (bn) memcpy(s + an, b, bn);
    s[an + bn] = '\0';
    return s;
}

/* Fails the operation with the message prefix + text[0..n); returns -1. */
static int fail(kwp_result *r, const char *prefix, const char *text, size_t n) {
    free(r->error);
    r->error = concat(prefix, text ? text : "", text ? n : 0);
    return -1;
}

/* Checks that r->out holds one complete JSON value; returns 0 or -1. */
static int finish(kwp_result *r) {
    if (r->out.failed || r->out.depth != 0)
        return fail(r, "could not build the response (out of memory)", NULL, 0);
    return 0;
}

/* Member `key` (n bytes) of an object, the last one if duplicated; or NULL. */
static const kw_value *getn(const kw_value *obj, const char *key, size_t n) {
    for (size_t i = kw_len(obj); kw_is(obj, KW_OBJECT) && i-- > 0;)
        if (obj->keys[i].len == n && memcmp(obj->keys[i].str, key, n) == 0) return &obj->items[i];
    return NULL;
}

/* True when member i of obj is the one getn() finds (not an earlier duplicate). */
static int is_last(const kw_value *obj, size_t i) {
    return getn(obj, obj->keys[i].str, obj->keys[i].len) == &obj->items[i];
}

/* The value, or NULL when it is JSON null (settings treat null as absent). */
static const kw_value *present(const kw_value *v) { return kw_is_null(v) ? NULL : v; }

static int is_string_list(const kw_value *v) {
    if (!kw_is(v, KW_ARRAY)) return 0;
    for (size_t i = 0; i < v->len; i++)
        if (!kw_is(&v->items[i], KW_STRING)) return 0;
    return 1;
}

static int is_string_map(const kw_value *v) {
    if (!kw_is(v, KW_OBJECT)) return 0;
    for (size_t i = 0; i < v->len; i++)
        if (!kw_is(&v->items[i], KW_STRING)) return 0;
    return 1;
}

/* An object whose `required` members (NULL-terminated list) are strings and
 * whose `optional` member, if present and not null, is a string. */
static int is_record(const kw_value *v, const char *const *required, const char *optional) {
    if (!kw_is(v, KW_OBJECT)) return 0;
    for (; *required; required++)
        if (!kw_is(kw_get(v, *required), KW_STRING)) return 0;
    return !present(kw_get(v, optional)) || kw_is(kw_get(v, optional), KW_STRING);
}

static const char *const can_i_fields[] = {"user", "verb", "resource", NULL};
static const char *const resource_fields[] = {"api_version", "kind", "name", NULL};

static int is_int32(const kw_value *v) {
    double d = kw_num(v, 0.5);
    return kw_is(v, KW_NUMBER) && d == (double)(long long)d && d >= -2147483648.0 && d <= 2147483647.0;
}

/* Number of string members of an object (what addLabels / annotate apply). */
static size_t count_strings(const kw_value *obj) {
    size_t n = 0;
    for (size_t i = 0; kw_is(obj, KW_OBJECT) && i < obj->len; i++) n += kw_is(&obj->items[i], KW_STRING);
    return n;
}

/* Parses JSON that must be an object or null/empty (then *out is NULL).
 * Returns 0, or -1 with the parser's message in err. */
static int parse_object(const char *payload, size_t len, kw_value **out, char *err, size_t err_size) {
    *out = NULL;
    size_t i = 0;
    while (i < len && (payload[i] == ' ' || payload[i] == '\t' || payload[i] == '\n' || payload[i] == '\r')) i++;
    if (i == len) return 0;
    if (!(*out = kw_parse(payload, len, err, err_size))) return -1;
    if ((*out)->type == KW_NULL) {
        kw_free(*out);
        *out = NULL;
        return 0;
    }
    if ((*out)->type != KW_OBJECT) {
        kw_free(*out);
        *out = NULL;
        err[0] = '\0';
        kw_cat(err, err_size, "not a JSON object");
        return -1;
    }
    return 0;
}

/* --------------------------------------------------------------- protocol */

int kwp_protocol_version(const char *payload, size_t len, kwp_result *r) {
    (void)payload;
    (void)len;
    kw_put_str(&r->out, "v1");
    return finish(r);
}

/* --------------------------------------------------------------- settings */

/* NULL when the settings are valid, else the reason. */
static const char *settings_problem(const kw_value *s) {
    const kw_value *v;
    if ((v = present(kw_get(s, "forbiddenLabels"))) && !is_string_list(v))
        return "forbiddenLabels must be a list of strings";
    if ((v = present(kw_get(s, "addLabels"))) && !is_string_map(v))
        return "addLabels must be an object mapping label names to string values";
    if ((v = present(kw_get(s, "dnsLookup"))) && !kw_is(v, KW_STRING))
        return "dnsLookup must be a string (a host name)";
    if ((v = present(kw_get(s, "canI"))) && !is_record(v, can_i_fields, "namespace"))
        return "canI must be an object with string members user, verb, resource and optionally namespace";
    if ((v = present(kw_get(s, "contextResource"))) && !is_record(v, resource_fields, "namespace"))
        return "contextResource must be an object with string members api_version, kind, name and optionally namespace";
    if ((v = present(kw_get(s, "failWith"))) && !kw_is(v, KW_STRING))
        return "failWith must be a string";
    if ((v = present(kw_get(s, "warnings"))) && !is_string_list(v))
        return "warnings must be a list of strings";
    if ((v = present(kw_get(s, "annotate"))) && !is_string_map(v))
        return "annotate must be an object mapping annotation names to string values";
    if ((v = present(kw_get(s, "rejectCode"))) && !is_int32(v))
        return "rejectCode must be an integer";
    return NULL;
}

int kwp_validate_settings(const char *payload, size_t len, kwp_result *r) {
    char err[160];
    kw_value *settings;
    const char *problem = NULL;
    if (parse_object(payload, len, &settings, err, sizeof err) != 0) {
        kw_obj_begin(&r->out);
        kw_field_bool(&r->out, "valid", 0);
        kw_name(&r->out, "message");
        char *msg = concat("settings are not a JSON object: ", err, strlen(err));
        kw_put_str(&r->out, msg ? msg : "settings are not a JSON object");
        free(msg);
        kw_obj_end(&r->out);
        return finish(r);
    }
    problem = settings_problem(settings);
    kw_obj_begin(&r->out);
    kw_field_bool(&r->out, "valid", problem == NULL);
    if (problem) kw_field_str(&r->out, "message", problem);
    kw_obj_end(&r->out);
    kw_free(settings);
    return finish(r);
}

/* ------------------------------------------------------------ host calls */

typedef struct {
    kw_writer list; /* a JSON array under construction */
    size_t count;
} warnings;

static void warn(warnings *ws, const char *prefix, const char *text, size_t n) {
    char *s = concat(prefix, text, n);
    if (!s) {
        ws->list.failed = 1;
        return;
    }
    kw_put_str(&ws->list, s);
    ws->count++;
    free(s);
}

/* Calls the host with the JSON in p (binding "kubewarden"). Returns 1 success,
 * 0 host error, -1 out of memory; *out / *out_len as for kwp_host_call. */
static int call_host(const char *ns, const char *op, kw_writer *p, char **out, size_t *out_len) {
    int ok;
    *out = NULL;
    *out_len = 0;
    if (p->failed) return -1;
    ok = kwp_host_call("kubewarden", ns, op, p->buf ? p->buf : "", p->len, out, out_len);
    return *out ? ok : -1;
}

/* net/v1/dns_lookup_host: adds dns:<host>=<first ip> or dns-error:<text>. */
static int dns_lookup(const kw_value *host, warnings *ws) {
    kw_writer p;
    char *resp, err[160];
    size_t n;
    int ok;
    kw_writer_init(&p);
    kw_put_strn(&p, host->str, host->len);
    ok = call_host("net", "v1/dns_lookup_host", &p, &resp, &n);
    kw_writer_free(&p);
    if (ok < 0) return -1;
    if (!ok) {
        warn(ws, "dns-error:", resp, n);
    } else {
        kw_value *v = kw_parse(resp, n, err, sizeof err);
        const kw_value *ips = kw_get(v, "ips");
        if (!kw_is(ips, KW_ARRAY)) {
            warn(ws, "dns-error:unexpected response: ", resp, n);
        } else {
            const kw_value *ip = kw_at(ips, 0);
            char *prefix = concat("dns:", host->str, host->len);
            char *full = prefix ? concat(prefix, "=", 1) : NULL;
            if (full) warn(ws, full, kw_str(ip, "none"), strlen(kw_str(ip, "none")));
            else ws->list.failed = 1;
            free(full);
            free(prefix);
        }
        kw_free(v);
    }
    free(resp);
    return 0;
}

/* kubernetes/can_i: adds can-i:allowed, can-i:denied or can-i-error:<text>. */
static int can_i(const kw_value *c, warnings *ws) {
    kw_writer p;
    char *resp, err[160];
    size_t n;
    int ok;
    const kw_value *ns = kw_get(c, "namespace");
    kw_writer_init(&p);
    kw_obj_begin(&p);
    kw_name(&p, "subject_access_review");
    kw_obj_begin(&p);
    kw_field_str(&p, "user", kw_str(kw_get(c, "user"), ""));
    kw_name(&p, "resource_attributes");
    kw_obj_begin(&p);
    kw_field_str(&p, "verb", kw_str(kw_get(c, "verb"), ""));
    kw_field_str(&p, "resource", kw_str(kw_get(c, "resource"), ""));
    if (kw_is(ns, KW_STRING)) kw_field_str(&p, "namespace", ns->str);
    kw_obj_end(&p);
    kw_obj_end(&p);
    kw_field_bool(&p, "disable_cache", 0);
    kw_obj_end(&p);
    ok = call_host("kubernetes", "can_i", &p, &resp, &n);
    kw_writer_free(&p);
    if (ok < 0) return -1;
    if (!ok) {
        warn(ws, "can-i-error:", resp, n);
    } else {
        kw_value *v = kw_parse(resp, n, err, sizeof err);
        warn(ws, kw_bool(kw_get(v, "allowed"), 0) ? "can-i:allowed" : "can-i:denied", NULL, 0);
        kw_free(v);
    }
    free(resp);
    return 0;
}

/* kubernetes/get_resource: adds context:<metadata.name>; on a host error sets
 * *rejection to "context error: <text>" (malloc'ed). */
static int get_resource(const kw_value *c, warnings *ws, char **rejection) {
    kw_writer p;
    char *resp, err[160];
    size_t n;
    int ok;
    const kw_value *ns = kw_get(c, "namespace");
    kw_writer_init(&p);
    kw_obj_begin(&p);
    kw_field_str(&p, "api_version", kw_str(kw_get(c, "api_version"), ""));
    kw_field_str(&p, "kind", kw_str(kw_get(c, "kind"), ""));
    kw_field_str(&p, "name", kw_str(kw_get(c, "name"), ""));
    if (kw_is(ns, KW_STRING)) kw_field_str(&p, "namespace", ns->str);
    kw_field_bool(&p, "disable_cache", 0);
    kw_obj_end(&p);
    ok = call_host("kubernetes", "get_resource", &p, &resp, &n);
    kw_writer_free(&p);
    if (ok < 0) return -1;
    if (!ok) {
        if (!(*rejection = concat("context error: ", resp, n))) ok = -1;
    } else {
        kw_value *v = kw_parse(resp, n, err, sizeof err);
        const kw_value *name = kw_path(v, "metadata.name");
        if (kw_is(name, KW_STRING)) warn(ws, "context:", name->str, name->len);
        else if (!(*rejection = concat("context error: unexpected response: ", resp, n))) ok = -1;
        kw_free(v);
    }
    free(resp);
    return ok < 0 ? -1 : 0;
}

/* -------------------------------------------------------------- mutation */

typedef void (*member_writer)(kw_writer *w, const kw_value *old, const kw_value *add);

/* Writes obj (NULL = {}) with member `name` replaced by fn(old value) in place
 * (earlier duplicates dropped), or appended when missing. Every other member
 * is copied verbatim. */
static void put_replacing(kw_writer *w, const kw_value *obj, const char *name, member_writer fn,
                          const kw_value *add) {
    const kw_value *old = kw_get(obj, name);
    kw_obj_begin(w);
    for (size_t i = 0; i < kw_len(obj); i++) {
        const kw_value *key = &obj->keys[i];
        if (kw_str_eq(key, name)) {
            if (&obj->items[i] != old) continue;
            kw_name(w, name);
            fn(w, old, add);
        } else {
            kw_namen(w, key->str, key->len);
            kw_put_value(w, &obj->items[i]);
        }
    }
    if (!old) {
        kw_name(w, name);
        fn(w, NULL, add);
    }
    kw_obj_end(w);
}

/* labels with every string member of add set (in place if present). */
static void put_labels(kw_writer *w, const kw_value *labels, const kw_value *add) {
    labels = present(labels);
    kw_obj_begin(w);
    for (size_t i = 0; i < kw_len(labels); i++) {
        const kw_value *key = &labels->keys[i];
        const kw_value *nv = getn(add, key->str, key->len);
        if (kw_is(nv, KW_STRING)) {
            if (!is_last(labels, i)) continue;
            kw_namen(w, key->str, key->len);
            kw_put_strn(w, nv->str, nv->len);
        } else {
            kw_namen(w, key->str, key->len);
            kw_put_value(w, &labels->items[i]);
        }
    }
    for (size_t i = 0; i < kw_len(add); i++) {
        const kw_value *key = &add->keys[i];
        if (!kw_is(&add->items[i], KW_STRING) || !is_last(add, i) || getn(labels, key->str, key->len)) continue;
        kw_namen(w, key->str, key->len);
        kw_put_strn(w, add->items[i].str, add->items[i].len);
    }
    kw_obj_end(w);
}

static void put_metadata(kw_writer *w, const kw_value *metadata, const kw_value *add) {
    put_replacing(w, present(metadata), "labels", put_labels, add);
}

/* --------------------------------------------------------------- validate */

int kwp_validate(const char *payload, size_t len, kwp_result *r) {
    char err[160];
    kw_value *root;
    warnings ws;
    char *rejection = NULL;      /* malloc'ed rejection message */
    const kw_value *forbidden_key = NULL;
    int rc = -1, mutate = 0;

    if (parse_object(payload, len, &root, err, sizeof err) != 0)
        return fail(r, "invalid validate payload: ", err, strlen(err));
    const kw_value *request = kw_get(root, "request");
    const kw_value *settings = present(kw_get(root, "settings"));
    if (!kw_is(request, KW_OBJECT)) {
        kw_free(root);
        return fail(r, "invalid validate payload: \"request\" is missing or not a JSON object", NULL, 0);
    }
    const kw_value *fail_with = kw_get(settings, "failWith");
    const kw_value *object = present(kw_get(request, "object"));
    const kw_value *metadata = present(kw_get(object, "metadata"));
    const kw_value *labels = present(kw_get(metadata, "labels"));
    const kw_value *add = kw_get(settings, "addLabels");
    const kw_value *code = kw_get(settings, "rejectCode");
    const kw_value *annotate = kw_get(settings, "annotate");
    const kw_value *extra = kw_get(settings, "warnings");

    /* 1. a requested failure */
    if (kw_is(fail_with, KW_STRING)) {
        rc = fail(r, "", fail_with->str, fail_with->len);
        kw_free(root);
        return rc;
    }
    if ((object && !kw_is(object, KW_OBJECT)) || (metadata && !kw_is(metadata, KW_OBJECT)) ||
        (labels && !kw_is(labels, KW_OBJECT))) {
        kw_free(root);
        return fail(r, "request.object, its metadata and metadata.labels must be JSON objects", NULL, 0);
    }

    /* warnings from the settings come first */
    kw_writer_init(&ws.list);
    ws.count = 0;
    kw_arr_begin(&ws.list);
    for (size_t i = 0; i < kw_len(extra) && kw_is(extra, KW_ARRAY); i++)
        if (kw_is(&extra->items[i], KW_STRING)) warn(&ws, "", extra->items[i].str, extra->items[i].len);

    /* 2.-4. host capabilities */
    const kw_value *v;
    if (kw_is(v = kw_get(settings, "dnsLookup"), KW_STRING) && dns_lookup(v, &ws) != 0) goto oom;
    if (kw_is(v = kw_get(settings, "canI"), KW_OBJECT) && can_i(v, &ws) != 0) goto oom;
    if (kw_is(v = kw_get(settings, "contextResource"), KW_OBJECT) && get_resource(v, &ws, &rejection) != 0) goto oom;

    /* 5. forbidden labels (in the order the labels appear) */
    for (size_t i = 0; !rejection && i < kw_len(labels); i++) {
        if (kw_contains_str(kw_get(settings, "forbiddenLabels"), labels->keys[i].str)) {
            forbidden_key = &labels->keys[i];
            if (!(rejection = concat("label ", forbidden_key->str, forbidden_key->len))) goto oom;
            char *full = concat(rejection, " is forbidden", 13);
            free(rejection);
            if (!(rejection = full)) goto oom;
        }
    }
    /* 6. mutation */
    mutate = !rejection && count_strings(add) > 0;

    /* 7. the ValidationResponse */
    kw_arr_end(&ws.list);
    kw_writer *w = &r->out;
    kw_obj_begin(w);
    kw_field_bool(w, "accepted", rejection == NULL);
    if (rejection) kw_field_str(w, "message", rejection);
    if (forbidden_key && is_int32(code)) kw_field_int(w, "code", (long long)code->number);
    if (mutate) {
        kw_name(w, "mutated_object");
        put_replacing(w, object, "metadata", put_metadata, add);
    }
    if (count_strings(annotate) > 0) {
        kw_name(w, "audit_annotations");
        kw_obj_begin(w);
        for (size_t i = 0; i < annotate->len; i++) {
            if (!kw_is(&annotate->items[i], KW_STRING) || !is_last(annotate, i)) continue;
            kw_namen(w, annotate->keys[i].str, annotate->keys[i].len);
            kw_put_value(w, &annotate->items[i]);
        }
        kw_obj_end(w);
    }
    if (ws.count > 0) {
        kw_name(w, "warnings");
        if (ws.list.failed) w->failed = 1;
        else kw_put_raw(w, ws.list.buf, ws.list.len);
    }
    kw_obj_end(w);
    rc = finish(r);
    goto done;
oom:
    rc = fail(r, "out of memory", NULL, 0);
done:
    free(rejection);
    kw_writer_free(&ws.list);
    kw_free(root);
    return rc;
}
