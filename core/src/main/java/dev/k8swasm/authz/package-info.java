/**
 * Authorization: {@link dev.k8swasm.authz.SubjectAccessReview} in, {@link
 * dev.k8swasm.authz.AuthorizationDecision} out, through {@link dev.k8swasm.authz.Authorizer}s.
 */
package dev.k8swasm.authz;
