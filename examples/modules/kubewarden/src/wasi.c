/*
 * wasi.c - the transport of the test policy for Kubewarden's WASI execution
 * mode: a command module run once per evaluation.
 *
 *   argv[1] = "validate"           stdin {"request": ..., "settings": ...},
 *                                  stdout the ValidationResponse
 *   argv[1] = "validate-settings"  stdin the settings, stdout {"valid": ...}
 *   exit 0 on success; a failure writes its message to stderr and exits 1;
 *   an unknown command exits 2.
 *
 * Host capabilities go through the import host.call (same parameters as waPC's
 * __host_call, but 0 = success, 1 = error); the host then appends the response
 * (or error) bytes to stdin, which reads as EOF whenever it is drained.
 */
#include "policy.h"

__attribute__((import_module("host"), import_name("call")))
int host_call(const char *binding, size_t binding_len, const char *ns, size_t ns_len,
              const char *op, size_t op_len, const char *payload, size_t len);

int kwp_host_call(const char *binding, const char *ns, const char *op,
                  const char *payload, size_t len, char **out, size_t *out_len) {
    int ok = host_call(binding, strlen(binding), ns, strlen(ns), op, strlen(op), payload, len) == 0;
    *out_len = 0;
    *out = kw_read_all(0, out_len); /* what the host appended to stdin */
    return ok;
}

static int fail(const char *a, const char *b) {
    kw_write_fd(2, a, strlen(a));
    kw_write_fd(2, b, strlen(b));
    kw_write_fd(2, "\n", 1);
    return 1;
}

int main(int argc, char **argv) {
    int (*op)(const char *, size_t, kwp_result *);
    const char *cmd = argc > 1 ? argv[1] : "";
    char *input;
    size_t len = 0;
    kwp_result r;
    int rc;
    if (strcmp(cmd, "validate") == 0) op = kwp_validate;
    else if (strcmp(cmd, "validate-settings") == 0) op = kwp_validate_settings;
    else {
        fail("unknown command (expected validate or validate-settings): ", argc > 1 ? cmd : "<none>");
        return 2;
    }
    if (!(input = kw_read_all(0, &len))) return fail("could not read stdin", "");
    kwp_result_init(&r);
    if (op(input, len, &r) == 0) {
        kw_write_fd(1, r.out.buf, r.out.len);
        rc = 0;
    } else {
        rc = fail(r.error ? r.error : "out of memory", "");
    }
    kwp_result_free(&r);
    free(input);
    return rc;
}
