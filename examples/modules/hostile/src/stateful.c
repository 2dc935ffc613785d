/*
 * stateful: tries to remember state across calls. It keeps a call counter and
 * the previous request's identifying value in globals and reports both:
 *   authn:    status.user.username = "previous:<previous token|none>",
 *             status.user.uid = "<count>" (authenticated: true)
 *   authz:    status.allowed = true,
 *             status.reason = "previous:<previous spec.user|none> count:<count>"
 *   validate: allowed: true,
 *             warnings = ["previous:<previous request uid|none>", "count:<count>"]
 * A host that gives every call fresh state always sees "none" and 1.
 */
#include "k8s_wasm_guest.h"

static long long count;          /* calls seen by this instance */
static int has_previous;
static char previous[256];       /* previous token / user / request uid */

/* "previous:<value|none>" into out, then remember value for the next call */
static void recall_and_remember(char *out, size_t size, const char *value) {
    out[0] = '\0';
    kw_cat(out, size, "previous:");
    kw_cat(out, size, has_previous ? previous : "none");
    previous[0] = '\0';
    kw_cat(previous, sizeof previous, value ? value : "");
    has_previous = 1;
    count++;
}

static void begin_review(kw_writer *w, const kw_value *review, const char *api_version, const char *kind) {
    kw_begin_response(w);
    kw_obj_begin(w);
    kw_field_str(w, "apiVersion", kw_str(kw_get(review, "apiVersion"), api_version));
    kw_field_str(w, "kind", kw_str(kw_get(review, "kind"), kind));
}

KW_EXPORT("authn") void authn(void) {
    kw_input in;
    kw_writer w;
    char recalled[300], n[21];
    if (kw_read_input(&in) != 0) { kw_output_error(in.error); return; }
    recall_and_remember(recalled, sizeof recalled, kw_str(kw_path(in.request, "spec.token"), ""));
    begin_review(&w, in.request, "authentication.k8s.io/v1", "TokenReview");
    kw_name(&w, "status");
    kw_obj_begin(&w);
    kw_field_bool(&w, "authenticated", 1);
    kw_name(&w, "user");
    kw_obj_begin(&w);
    kw_field_str(&w, "username", recalled);
    kw_field_str(&w, "uid", kw_fmt_int(n, count));
    kw_obj_end(&w);
    kw_obj_end(&w);
    kw_obj_end(&w);
    kw_end_response(&w);
    kw_input_free(&in);
}

KW_EXPORT("authz") void authz(void) {
    kw_input in;
    kw_writer w;
    char recalled[340], n[21];
    if (kw_read_input(&in) != 0) { kw_output_error(in.error); return; }
    recall_and_remember(recalled, sizeof recalled, kw_str(kw_path(in.request, "spec.user"), ""));
    kw_cat(recalled, sizeof recalled, " count:");
    kw_cat(recalled, sizeof recalled, kw_fmt_int(n, count));
    begin_review(&w, in.request, "authorization.k8s.io/v1", "SubjectAccessReview");
    kw_name(&w, "status");
    kw_obj_begin(&w);
    kw_field_bool(&w, "allowed", 1);
    kw_field_str(&w, "reason", recalled);
    kw_obj_end(&w);
    kw_obj_end(&w);
    kw_end_response(&w);
    kw_input_free(&in);
}

KW_EXPORT("validate") void validate(void) {
    kw_input in;
    kw_writer w;
    char recalled[300], counted[32] = "count:", n[21];
    if (kw_read_input(&in) != 0) { kw_output_error(in.error); return; }
    const kw_value *uid = kw_path(in.request, "request.uid");
    recall_and_remember(recalled, sizeof recalled, kw_str(uid, ""));
    kw_cat(counted, sizeof counted, kw_fmt_int(n, count));
    kw_begin_response(&w);
    kw_obj_begin(&w);
    kw_field_str(&w, "apiVersion", "admission.k8s.io/v1");
    kw_field_str(&w, "kind", "AdmissionReview");
    kw_name(&w, "response");
    kw_obj_begin(&w);
    kw_field_value(&w, "uid", uid);
    kw_field_bool(&w, "allowed", 1);
    kw_name(&w, "warnings");
    kw_arr_begin(&w);
    kw_put_str(&w, recalled);
    kw_put_str(&w, counted);
    kw_arr_end(&w);
    kw_obj_end(&w);
    kw_obj_end(&w);
    kw_end_response(&w);
    kw_input_free(&in);
}
