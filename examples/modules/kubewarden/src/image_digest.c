/*
 * image_digest.c - a Kubewarden test policy (waPC, linked with wapc.c) that
 * uses the host capability oci/v1/manifest_digest and declares no
 * hostCapabilities in its metadata, like policies built before Kubewarden's
 * host-capabilities allow-list.
 *
 * validate asks the host for the manifest digest of every
 * spec.containers[].image of the object (payload: the image as a JSON
 * string) and accepts with one warning per image, in container order:
 *   digest:<image>=<digest>
 * The first failed host call rejects with
 *   cannot resolve <image>: <host error>
 * A request without containers is accepted without host calls. The policy
 * has no settings (any JSON object or null is valid).
 */
#include "simple_policy.h"

int kwp_validate(const char *payload, size_t len, kwp_result *r) {
    char err[160];
    kw_value *root;
    char *message = NULL;
    int rejected = 0, rc;
    kw_writer warnings;

    if (parse_object(payload, len, &root, err, sizeof err) != 0 || !root)
        return fail(r, "invalid validate payload: not a JSON object");
    const kw_value *containers = kw_path(root, "request.object.spec.containers");
    kw_writer_init(&warnings);
    kw_arr_begin(&warnings);
    for (size_t i = 0; i < kw_len(containers) && !rejected; i++) {
        const kw_value *image = kw_get(kw_at(containers, i), "image");
        if (!kw_is(image, KW_STRING)) continue;
        kw_writer p;
        char *resp = NULL;
        size_t n = 0;
        kw_writer_init(&p);
        kw_put_strn(&p, image->str, image->len);
        int ok = !p.failed && kwp_host_call("kubewarden", "oci", "v1/manifest_digest", p.buf, p.len, &resp, &n);
        kw_writer_free(&p);
        if (!resp) {
            rejected = 1; /* out of memory: message stays NULL */
        } else if (!ok) {
            rejected = 1;
            message = join((const char *const[]){"cannot resolve ", image->str, ": ", resp, NULL});
        } else {
            kw_value *answer = kw_parse(resp, n, err, sizeof err);
            char *w = join((const char *const[]){"digest:", image->str, "=",
                                                 kw_str(kw_get(answer, "digest"), "(none)"), NULL});
            if (w) kw_put_str(&warnings, w);
            else warnings.failed = 1;
            free(w);
            kw_free(answer);
        }
        free(resp);
    }
    kw_arr_end(&warnings);
    rc = rejected && !message ? fail(r, "out of memory") : respond(r, message, &warnings);
    free(message);
    kw_writer_free(&warnings);
    kw_free(root);
    return rc;
}
