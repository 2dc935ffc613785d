/*
 * magic_authorizer: allows any request on the resource "configmaps" (any verb,
 * namespace or API group) when the user's groups contain "magic-group";
 * otherwise it has no opinion (allowed: false, not denied).
 * Export: authz (SubjectAccessReview in, SubjectAccessReview out).
 */
#include "k8s_wasm_guest.h"

KW_EXPORT("authz") void authz(void) {
    kw_input in;
    kw_writer w;
    if (kw_read_input(&in) != 0) {
        kw_output_error(in.error);
        return;
    }
    const kw_value *review = in.request;
    const kw_value *spec = kw_get(review, "spec");
    const kw_value *attrs = kw_get(spec, "resourceAttributes");
    int allowed = kw_contains_str(kw_get(spec, "groups"), "magic-group") && kw_is(attrs, KW_OBJECT) &&
                  kw_str_eq(kw_get(attrs, "resource"), "configmaps");

    kw_begin_response(&w);
    kw_obj_begin(&w);
    /* echo the version we were asked in (v1, or v1beta1 from older webhooks) */
    kw_field_str(&w, "apiVersion", kw_str(kw_get(review, "apiVersion"), "authorization.k8s.io/v1"));
    kw_field_str(&w, "kind", kw_str(kw_get(review, "kind"), "SubjectAccessReview"));
    if (spec) kw_field_value(&w, "spec", spec);
    kw_name(&w, "status");
    kw_obj_begin(&w);
    kw_field_bool(&w, "allowed", allowed);
    if (allowed) kw_field_str(&w, "reason", "magic-group may access configmaps");
    kw_obj_end(&w); /* status */
    kw_obj_end(&w); /* SubjectAccessReview */
    kw_end_response(&w);
    kw_input_free(&in);
}
