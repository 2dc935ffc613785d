/*
 * policy.h - the k8s-wasm Kubewarden test policy, independent of its transport.
 *
 * policy.c implements the three policy operations; each build links it with
 * one transport that feeds it payloads and performs host calls:
 *   wapc.c  waPC (execution mode kubewarden-wapc), handlers registered in
 *           _start (-DKWP_REGISTER_IN_START, TinyGo style) or in wapc_init
 *           (Rust style)
 *   wasi.c  Kubewarden WASI execution mode (argv + stdin/stdout, host.call)
 */
#ifndef KWP_POLICY_H
#define KWP_POLICY_H

#include "k8s_wasm_guest.h"

/* The outcome of one operation: on success `out` holds the JSON response; on
 * failure `error` holds a malloc'ed, NUL-terminated message. */
typedef struct {
    kw_writer out;
    char *error;
} kwp_result;

void kwp_result_init(kwp_result *r);
void kwp_result_free(kwp_result *r);

/* Each returns 0 with the JSON response in r->out, or -1 with r->error set. */
int kwp_protocol_version(const char *payload, size_t len, kwp_result *r);
int kwp_validate_settings(const char *payload, size_t len, kwp_result *r);
int kwp_validate(const char *payload, size_t len, kwp_result *r);

/* Implemented by the transport: one host capability call. Returns 1 when the
 * host succeeded (*out = the response) and 0 when it failed (*out = the error
 * text). *out is malloc'ed and NUL-terminated (free it), or NULL when out of
 * memory; *out_len is its length. */
int kwp_host_call(const char *binding, const char *ns, const char *op,
                  const char *payload, size_t len, char **out, size_t *out_len);

#endif /* KWP_POLICY_H */
