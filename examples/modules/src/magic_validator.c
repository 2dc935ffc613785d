/*
 * magic_validator: rejects a ConfigMap whose data has the KEY
 * "not-allowed-value"; accepts everything else (including requests without an
 * object, such as DELETE). Export: validate (AdmissionReview in and out).
 */
#include "k8s_wasm_guest.h"

KW_EXPORT("validate") void validate(void) {
    kw_input in;
    kw_writer w;
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

    if (problem) {
        kw_output_error(problem);
    } else {
        int denied = kw_get(data, "not-allowed-value") != NULL;
        kw_begin_response(&w);
        kw_obj_begin(&w);
        kw_field_str(&w, "apiVersion", "admission.k8s.io/v1");
        kw_field_str(&w, "kind", "AdmissionReview");
        kw_name(&w, "response");
        kw_obj_begin(&w);
        kw_field_value(&w, "uid", uid);
        kw_field_bool(&w, "allowed", !denied);
        if (denied) {
            kw_name(&w, "status");
            kw_obj_begin(&w);
            kw_field_str(&w, "message", "value 'not-allowed-value' not allowed in configmap");
            kw_field_int(&w, "code", 403);
            kw_obj_end(&w);
        }
        kw_obj_end(&w); /* response */
        kw_obj_end(&w); /* AdmissionReview */
        kw_end_response(&w);
    }
    kw_input_free(&in);
}
