/*
 * simple_policy.h - what the small single-purpose test policies share
 * (unique_ingress.c, image_digest.c): the result helpers of policy.h, message
 * building, and the protocol_version / validate_settings operations of a
 * policy without settings (any JSON object or null is valid). Included by
 * exactly one .c file per module.
 */
#ifndef KWP_SIMPLE_POLICY_H
#define KWP_SIMPLE_POLICY_H

#include "policy.h"

void kwp_result_init(kwp_result *r) {
    kw_writer_init(&r->out);
    r->error = NULL;
}

void kwp_result_free(kwp_result *r) {
    kw_writer_free(&r->out);
    free(r->error);
    r->error = NULL;
}

/* The concatenation of the NULL-terminated list of strings, malloc'ed. */
static char *join(const char *const *parts) {
    size_t n = 0;
    for (const char *const *p = parts; *p; p++) n += strlen(*p);
    char *s = malloc(n + 1);
    if (!s) return NULL;
    s[0] = '\0';
    for (const char *const *p = parts; *p; p++) strcat(s, *p);
    return s;
}

static int fail(kwp_result *r, const char *message) {
    free(r->error);
    r->error = join((const char *const[]){message, NULL});
    return -1;
}

static int finish(kwp_result *r) {
    if (r->out.failed || r->out.depth != 0) return fail(r, "could not build the response (out of memory)");
    return 0;
}

/* Parses an object (or null / nothing: *out = NULL); 0 or -1. */
static int parse_object(const char *payload, size_t len, kw_value **out, char *err, size_t size) {
    size_t i = 0;
    *out = NULL;
    while (i < len && (payload[i] == ' ' || payload[i] == '\n' || payload[i] == '\r' || payload[i] == '\t')) i++;
    if (i == len) return 0;
    if (!(*out = kw_parse(payload, len, err, size))) return -1;
    if ((*out)->type == KW_NULL) {
        kw_free(*out);
        *out = NULL;
    } else if ((*out)->type != KW_OBJECT) {
        kw_free(*out);
        *out = NULL;
        err[0] = '\0';
        kw_cat(err, size, "not a JSON object");
        return -1;
    }
    return 0;
}

int kwp_protocol_version(const char *payload, size_t len, kwp_result *r) {
    (void)payload;
    (void)len;
    kw_put_str(&r->out, "v1");
    return finish(r);
}

int kwp_validate_settings(const char *payload, size_t len, kwp_result *r) {
    char err[160];
    kw_value *settings;
    int ok = parse_object(payload, len, &settings, err, sizeof err) == 0;
    kw_free(settings);
    kw_obj_begin(&r->out);
    kw_field_bool(&r->out, "valid", ok);
    if (!ok) kw_field_str(&r->out, "message", "settings must be a JSON object");
    kw_obj_end(&r->out);
    return finish(r);
}

/* Writes the ValidationResponse; message NULL = accepted; warnings: a JSON
 * array (or NULL). */
static int respond(kwp_result *r, const char *message, const kw_writer *warnings) {
    kw_obj_begin(&r->out);
    kw_field_bool(&r->out, "accepted", message == NULL);
    if (message) kw_field_str(&r->out, "message", message);
    if (warnings && warnings->len > 2) {
        kw_name(&r->out, "warnings");
        if (warnings->failed) r->out.failed = 1;
        else kw_put_raw(&r->out, warnings->buf, warnings->len);
    }
    kw_obj_end(&r->out);
    return finish(r);
}

#endif /* KWP_SIMPLE_POLICY_H */
