/*
 * magic_mutator: sets data["magic-value"] = "foobar" on the object (creating
 * "data" if needed, overwriting an existing value) and returns the complete
 * edited object as a "Full" patch. Every other field is copied exactly as it
 * came in. Requests without an object (DELETE) are allowed unchanged.
 * Export: validate (AdmissionReview in and out).
 */
#include "k8s_wasm_guest.h"

static void put_foobar(kw_writer *w, const kw_value *old, void *ctx) {
    (void)old, (void)ctx;
    kw_put_str(w, "foobar");
}

static void put_data(kw_writer *w, const kw_value *data, void *ctx) {
    kw_put_object_set(w, data, "magic-value", put_foobar, ctx);
}

KW_EXPORT("validate") void validate(void) {
    kw_admission a;
    kw_writer object;
    if (!kw_admission_read(&a)) return;
    const kw_value *data = kw_get(a.object, "data");
    if (!kw_is_null(data) && !kw_is(data, KW_OBJECT)) {
        kw_output_error("request.object.data is not a JSON object (expected a ConfigMap)");
    } else if (!a.object) {
        kw_admission_allow(&a); /* DELETE: nothing to change */
    } else {
        kw_writer_init(&object);
        kw_put_object_set(&object, a.object, "data", put_data, NULL);
        kw_admission_mutate(&a, &object);
        kw_writer_free(&object);
    }
    kw_admission_free(&a);
}
