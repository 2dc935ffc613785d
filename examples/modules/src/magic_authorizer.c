/*
 * magic_authorizer: allows any request on the resource "configmaps" (any verb,
 * namespace or API group) when the user's groups contain "magic-group";
 * otherwise it has no opinion (allowed: false, not denied).
 * Export: authz (SubjectAccessReview in, SubjectAccessReview out).
 */
#include "k8s_wasm_guest.h"

KW_EXPORT("authz") void authz(void) {
    kw_input in;
    if (!kw_read_input_or_answer(&in)) return;
    const kw_value *spec = kw_get(in.request, "spec");
    const kw_value *attrs = kw_get(spec, "resourceAttributes");
    int allowed = kw_contains_str(kw_get(spec, "groups"), "magic-group") && kw_is(attrs, KW_OBJECT) &&
                  kw_str_eq(kw_get(attrs, "resource"), "configmaps");
    kw_authz_answer(in.request, allowed, 0, allowed ? "magic-group may access configmaps" : NULL);
    kw_input_free(&in);
}
