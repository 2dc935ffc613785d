/*
 * magic_authenticator: authenticates the token "magic-token" as user
 * "magic-user" (uid "0", groups ["magic-group"]); any other token is not
 * authenticated. Export: authn (TokenReview in, TokenReview out).
 */
#include "k8s_wasm_guest.h"

KW_EXPORT("authn") void authn(void) {
    kw_input in;
    kw_writer w;
    if (kw_read_input(&in) != 0) {
        kw_output_error(in.error);
        return;
    }
    const kw_value *review = in.request;
    const kw_value *spec = kw_get(review, "spec");

    kw_begin_response(&w);
    kw_obj_begin(&w);
    kw_field_str(&w, "apiVersion", kw_str(kw_get(review, "apiVersion"), "authentication.k8s.io/v1"));
    kw_field_str(&w, "kind", kw_str(kw_get(review, "kind"), "TokenReview"));
    if (spec) kw_field_value(&w, "spec", spec);
    kw_name(&w, "status");
    kw_obj_begin(&w);
    if (kw_str_eq(kw_get(spec, "token"), "magic-token")) {
        kw_field_bool(&w, "authenticated", 1);
        kw_name(&w, "user");
        kw_obj_begin(&w);
        kw_field_str(&w, "username", "magic-user");
        kw_field_str(&w, "uid", "0");
        kw_name(&w, "groups");
        kw_arr_begin(&w);
        kw_put_str(&w, "magic-group");
        kw_arr_end(&w);
        kw_obj_end(&w);
    } else {
        kw_field_bool(&w, "authenticated", 0);
    }
    kw_obj_end(&w); /* status */
    kw_obj_end(&w); /* TokenReview */
    kw_end_response(&w);
    kw_input_free(&in);
}
