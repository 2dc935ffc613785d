/*
 * magic_mutator: sets data["magic-value"] = "foobar" on the object (creating
 * "data" if needed, overwriting an existing value) and returns the complete
 * edited object as a "Full" patch. Every other field is copied exactly as it
 * came in. Requests without an object (DELETE) are allowed unchanged.
 * Export: validate (AdmissionReview in and out).
 */
#include "k8s_wasm_guest.h"

/* data with "magic-value" set: in place if present, else appended */
static void write_data(kw_writer *w, const kw_value *data) {
    int done = 0;
    kw_obj_begin(w);
    for (size_t i = 0; i < kw_len(data); i++) {
        const kw_value *key = &data->keys[i];
        if (kw_str_eq(key, "magic-value")) {
            if (!done) kw_field_str(w, "magic-value", "foobar");
            done = 1;
            continue;
        }
        kw_namen(w, key->str, key->len);
        kw_put_value(w, &data->items[i]);
    }
    if (!done) kw_field_str(w, "magic-value", "foobar");
    kw_obj_end(w);
}

/* the object with its (last) "data" member replaced, or "data" appended */
static void write_object(kw_writer *w, const kw_value *object) {
    const kw_value *data = kw_get(object, "data");
    kw_obj_begin(w);
    for (size_t i = 0; i < kw_len(object); i++) {
        const kw_value *key = &object->keys[i];
        if (kw_str_eq(key, "data")) {
            if (&object->items[i] != data) continue; /* an earlier duplicate */
            kw_name(w, "data");
            write_data(w, data);
            continue;
        }
        kw_namen(w, key->str, key->len);
        kw_put_value(w, &object->items[i]);
    }
    if (!data) {
        kw_name(w, "data");
        write_data(w, NULL);
    }
    kw_obj_end(w);
}

KW_EXPORT("validate") void validate(void) {
    kw_input in;
    kw_writer w, patch;
    if (kw_read_input(&in) != 0) {
        kw_output_error(in.error);
        return;
    }
    const kw_value *req = kw_get(in.request, "request");
    const kw_value *uid = kw_get(req, "uid");
    const kw_value *object = kw_get(req, "object");
    const kw_value *data = kw_get(object, "data");

    const char *problem = NULL;
    if (!kw_is(req, KW_OBJECT)) problem = "the AdmissionReview has no \"request\"";
    else if (!kw_is(uid, KW_STRING)) problem = "the AdmissionReview request has no \"uid\"";
    else if (!kw_is_null(object) && !kw_is(object, KW_OBJECT)) problem = "request.object is not a JSON object";
    else if (!kw_is_null(data) && !kw_is(data, KW_OBJECT))
        problem = "request.object.data is not a JSON object (expected a ConfigMap)";

    kw_writer_init(&patch);
    if (!problem && !kw_is_null(object)) {
        write_object(&patch, object);
        if (patch.failed) problem = "out of memory while building the patch";
    }
    if (problem) {
        kw_output_error(problem);
    } else {
        kw_begin_response(&w);
        kw_obj_begin(&w);
        kw_field_str(&w, "apiVersion", "admission.k8s.io/v1");
        kw_field_str(&w, "kind", "AdmissionReview");
        kw_name(&w, "response");
        kw_obj_begin(&w);
        kw_field_value(&w, "uid", uid);
        kw_field_bool(&w, "allowed", 1);
        if (!kw_is_null(object)) {
            kw_field_str(&w, "patchType", "Full");
            kw_name(&w, "patch");
            kw_put_base64(&w, patch.buf, patch.len);
        }
        kw_obj_end(&w); /* response */
        kw_obj_end(&w); /* AdmissionReview */
        kw_end_response(&w);
    }
    kw_writer_free(&patch);
    kw_input_free(&in);
}
