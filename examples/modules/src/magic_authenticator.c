/*
 * magic_authenticator: authenticates the token "magic-token" as user
 * "magic-user" (uid "0", groups ["magic-group"]); any other token is not
 * authenticated. Export: authn (TokenReview in, TokenReview out).
 */
#include "k8s_wasm_guest.h"

static const char *const groups[] = {"magic-group", NULL};
static const kw_user magic_user = {"magic-user", "0", groups};

KW_EXPORT("authn") void authn(void) {
    kw_input in;
    if (!kw_read_input_or_answer(&in)) return;
    int magic = kw_str_eq(kw_path(in.request, "spec.token"), "magic-token");
    kw_authn_answer(in.request, magic ? &magic_user : NULL);
    kw_input_free(&in);
}
