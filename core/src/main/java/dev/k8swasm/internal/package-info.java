/** Implementation helpers shared by the packages of core. Not part of the supported API. */
package dev.k8swasm.internal;
