/**
 * Authentication: {@link dev.k8swasm.authn.TokenReview} in, {@link
 * dev.k8swasm.authn.AuthenticationResult} out, through {@link dev.k8swasm.authn.Authenticator}s.
 */
package dev.k8swasm.authn;
