/*
 * magic_validator: rejects a ConfigMap whose data has the KEY
 * "not-allowed-value"; accepts everything else (including requests without an
 * object, such as DELETE). Export: validate (AdmissionReview in and out).
 */
#include "k8s_wasm_guest.h"

KW_EXPORT("validate") void validate(void) {
    kw_admission a;
    if (!kw_admission_read(&a)) return;
    const kw_value *data = kw_get(a.object, "data");
    if (!kw_is_null(data) && !kw_is(data, KW_OBJECT))
        kw_output_error("request.object.data is not a JSON object (expected a ConfigMap)");
    else if (kw_get(data, "not-allowed-value"))
        kw_admission_deny(&a, 403, "value 'not-allowed-value' not allowed in configmap");
    else
        kw_admission_allow(&a);
    kw_admission_free(&a);
}
