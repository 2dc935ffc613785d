/**
 * kwctl-compatible recording and replay of host capability exchanges: {@link
 * dev.k8swasm.kubewarden.session.SessionRecorder}, {@link
 * dev.k8swasm.kubewarden.capabilities.SessionReplay} and the YAML format ({@link
 * dev.k8swasm.kubewarden.session.SessionFile}).
 */
package dev.k8swasm.kubewarden.session;
