/*
 * unique_ingress.c - a context-aware Kubewarden test policy (waPC, linked
 * with wapc.c): rejects an Ingress when one of its spec.rules[].host values
 * is already used by another Ingress of the cluster, in any namespace.
 *
 * validate lists every Ingress with the host capability
 * kubernetes/list_resources_all ({"api_version":"networking.k8s.io/v1",
 * "kind":"Ingress"}), skips the Ingress under review (same namespace and
 * name) and rejects with
 *   host <host> is already used by Ingress <namespace>/<name>
 * for the first host (in rule order) found in another Ingress (in list
 * order). A failed host call rejects with
 *   cannot check that the hosts are unique: <host error>
 * An Ingress without hosts, or a request without object (DELETE), is
 * accepted without a host call. The policy has no settings (any JSON object
 * or null is valid).
 */
#include "simple_policy.h"

/* The string at path, or "" */
static const char *text(const kw_value *v, const char *path) { return kw_str(kw_path(v, path), ""); }

/* Whether `ingress` has a rule with host `host`. */
static int has_host(const kw_value *ingress, const kw_value *host) {
    const kw_value *rules = kw_path(ingress, "spec.rules");
    for (size_t i = 0; i < kw_len(rules); i++)
        if (kw_str_eq(kw_get(kw_at(rules, i), "host"), host->str)) return 1;
    return 0;
}

int kwp_validate(const char *payload, size_t len, kwp_result *r) {
    static const char list_request[] = "{\"api_version\":\"networking.k8s.io/v1\",\"kind\":\"Ingress\"}";
    char err[160];
    kw_value *root, *list = NULL;
    char *resp = NULL, *message = NULL;
    size_t n = 0;
    int rc;

    if (parse_object(payload, len, &root, err, sizeof err) != 0 || !root)
        return fail(r, "invalid validate payload: not a JSON object");
    const kw_value *request = kw_get(root, "request");
    const kw_value *object = kw_get(request, "object");
    const kw_value *rules = kw_path(object, "spec.rules");
    int hosts = 0;
    for (size_t i = 0; i < kw_len(rules); i++) hosts += kw_is(kw_get(kw_at(rules, i), "host"), KW_STRING);
    if (!kw_is(object, KW_OBJECT) || hosts == 0) {
        rc = respond(r, NULL, NULL);
        kw_free(root);
        return rc;
    }
    /* the Ingress under review: the request's namespace and name, else the object's */
    const char *ns = kw_str(kw_get(request, "namespace"), text(object, "metadata.namespace"));
    const char *name = kw_str(kw_get(request, "name"), text(object, "metadata.name"));

    int rejected = 0;
    int ok = kwp_host_call("kubewarden", "kubernetes", "list_resources_all", list_request,
                           sizeof list_request - 1, &resp, &n);
    if (!resp) {
        kw_free(root);
        return fail(r, "out of memory");
    }
    if (!ok) {
        rejected = 1;
        message = join((const char *const[]){"cannot check that the hosts are unique: ", resp, NULL});
    } else if (!(list = kw_parse(resp, n, err, sizeof err)) || !kw_is(kw_get(list, "items"), KW_ARRAY)) {
        rejected = 1;
        message = join((const char *const[]){"cannot check that the hosts are unique: unexpected answer: ", resp, NULL});
    } else {
        const kw_value *items = kw_get(list, "items");
        for (size_t i = 0; i < kw_len(rules) && !message; i++) {
            const kw_value *host = kw_get(kw_at(rules, i), "host");
            if (!kw_is(host, KW_STRING)) continue;
            for (size_t j = 0; j < kw_len(items) && !message; j++) {
                const kw_value *other = kw_at(items, j);
                const char *ons = text(other, "metadata.namespace"), *oname = text(other, "metadata.name");
                if (name[0] && strcmp(ons, ns) == 0 && strcmp(oname, name) == 0) continue; /* itself */
                if (has_host(other, host)) {
                    rejected = 1;
                    message = join((const char *const[]){"host ", host->str, " is already used by Ingress ", ons,
                                                         "/", oname, NULL});
                }
            }
        }
    }
    rc = rejected && !message ? fail(r, "out of memory") : respond(r, message, NULL);
    free(message);
    free(resp);
    kw_free(list);
    kw_free(root);
    return rc;
}
