/*
 * wapc.c - the waPC transport of the test policy (execution mode
 * kubewarden-wapc).
 *
 * Like the Kubewarden SDKs, the guest keeps a table of operation handlers
 * that is empty until the module's start function fills it:
 *   -DKWP_REGISTER_IN_START  TinyGo style: a command module whose _start
 *                            (main) registers the handlers and ends with
 *                            WASI proc_exit(0), as TinyGo >= 0.35 does
 *   (default)                Rust style: the exported wapc_init registers them
 * __guest_call fails with "handlers not registered" until then, so a host that
 * skips the start functions is caught.
 */
#include "policy.h"

#define WAPC_IMPORT(name) __attribute__((import_module("wapc"), import_name(name)))

WAPC_IMPORT("__guest_request") void wapc_guest_request(char *op, char *msg);
WAPC_IMPORT("__guest_response") void wapc_guest_response(const char *ptr, size_t len);
WAPC_IMPORT("__guest_error") void wapc_guest_error(const char *ptr, size_t len);
WAPC_IMPORT("__host_call") int wapc_host_call(const char *binding, size_t binding_len, const char *ns,
                                              size_t ns_len, const char *op, size_t op_len,
                                              const char *payload, size_t len);
WAPC_IMPORT("__host_response_len") size_t wapc_host_response_len(void);
WAPC_IMPORT("__host_response") void wapc_host_response(char *ptr);
WAPC_IMPORT("__host_error_len") size_t wapc_host_error_len(void);
WAPC_IMPORT("__host_error") void wapc_host_error(char *ptr);
WAPC_IMPORT("__console_log") void wapc_console_log(const char *ptr, size_t len);

/* ------------------------------------------------------------ host calls */

int kwp_host_call(const char *binding, const char *ns, const char *op,
                  const char *payload, size_t len, char **out, size_t *out_len) {
    int ok = wapc_host_call(binding, strlen(binding), ns, strlen(ns), op, strlen(op), payload, len) == 1;
    size_t n = ok ? wapc_host_response_len() : wapc_host_error_len();
    char *buf = n < SIZE_MAX ? malloc(n + 1) : NULL;
    *out = buf;
    *out_len = 0;
    if (!buf) return ok;
    if (n) {
        if (ok) wapc_host_response(buf);
        else wapc_host_error(buf);
    }
    buf[n] = '\0';
    *out_len = n;
    return ok;
}

/* -------------------------------------------------------------- handlers */

typedef int (*handler)(const char *payload, size_t len, kwp_result *r);

static struct {
    const char *name;
    handler fn;
} handlers[4];
static size_t handler_count;

static void register_handlers(void) {
    static const char msg[] = "k8s-wasm test policy: handlers registered";
    handler_count = 0;
    handlers[handler_count].name = "protocol_version";
    handlers[handler_count++].fn = kwp_protocol_version;
    handlers[handler_count].name = "validate_settings";
    handlers[handler_count++].fn = kwp_validate_settings;
    handlers[handler_count].name = "validate";
    handlers[handler_count++].fn = kwp_validate;
    wapc_console_log(msg, sizeof msg - 1);
}

static void guest_error(const char *prefix, const char *text, size_t n) {
    size_t pn = strlen(prefix);
    char *msg = malloc(pn + n + 1);
    if (!msg) {
        wapc_guest_error("out of memory", 13);
        return;
    }
    memcpy(msg, prefix, pn);
    if (n) memcpy(msg + pn, text, n);
    wapc_guest_error(msg, pn + n);
    free(msg);
}

/* __guest_call(op_len, msg_len): fetches the operation and payload with
 * __guest_request, runs the handler and answers with __guest_response (1) or
 * __guest_error (0). */
KW_EXPORT("__guest_call") int guest_call(size_t op_len, size_t msg_len) {
    char *op = NULL, *msg = NULL;
    handler fn = NULL;
    int ok = 0;
    if (op_len >= SIZE_MAX / 2 || msg_len >= SIZE_MAX / 2 || !(op = malloc(op_len + 1)) ||
        !(msg = malloc(msg_len + 1))) {
        free(op);
        guest_error("out of memory", NULL, 0);
        return 0;
    }
    wapc_guest_request(op, msg);
    op[op_len] = '\0';
    msg[msg_len] = '\0';
    for (size_t i = 0; i < handler_count && !fn; i++)
        if (strlen(handlers[i].name) == op_len && memcmp(handlers[i].name, op, op_len) == 0) fn = handlers[i].fn;
    if (handler_count == 0) {
        guest_error("handlers not registered", NULL, 0);
    } else if (!fn) {
        guest_error("unknown operation: ", op, op_len);
    } else {
        kwp_result r;
        kwp_result_init(&r);
        if (fn(msg, msg_len, &r) == 0) {
            wapc_guest_response(r.out.buf, r.out.len);
            ok = 1;
        } else {
            guest_error(r.error ? r.error : "out of memory", NULL, 0);
        }
        kwp_result_free(&r);
    }
    free(msg);
    free(op);
    return ok;
}

/* ------------------------------------------------------- start functions */

#ifdef KWP_REGISTER_IN_START
int main(void) {
    static const char line[] = "k8s-wasm test policy: _start done, exiting with proc_exit(0)\n";
    register_handlers();
    kw_write_fd(2, line, sizeof line - 1);
    exit(0); /* ends in proc_exit(0), like TinyGo >= 0.35 */
}
#else
KW_EXPORT("wapc_init") void wapc_init(void) { register_handlers(); }
#endif
