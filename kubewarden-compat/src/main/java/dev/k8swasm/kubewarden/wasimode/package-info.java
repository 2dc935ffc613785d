/**
 * Kubewarden's WASI execution mode: policies that are WASI commands run once per evaluation with
 * argv {@code validate} / {@code validate-settings}, JSON on stdin and stdout, and host
 * capabilities through {@link dev.k8swasm.kubewarden.wasimode.WasiHostCall}.
 */
package dev.k8swasm.kubewarden.wasimode;
