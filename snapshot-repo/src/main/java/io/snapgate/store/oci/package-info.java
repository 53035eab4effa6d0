/**
 * The OCI container: media types, digests, tags and references, and the {@code oci-layout},
 * {@code index.json} and manifest documents with their structural checks. Knows nothing about what a
 * snapshot config says (that is {@code io.snapgate.store.config}).
 */
package io.snapgate.store.oci;
