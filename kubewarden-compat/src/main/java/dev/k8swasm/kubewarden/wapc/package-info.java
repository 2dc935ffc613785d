/**
 * The waPC transport of Kubewarden policies: the nine {@code wapc} host functions ({@link
 * dev.k8swasm.kubewarden.wapc.WapcHost}) with bounds-checked memory access ({@link
 * dev.k8swasm.kubewarden.wapc.GuestMemory}).
 */
package dev.k8swasm.kubewarden.wapc;
