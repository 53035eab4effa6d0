/**
 * The strict JSON codec every store document goes through ({@link io.snapgate.store.json.StrictJson}):
 * bounded, unknown fields and duplicate keys refused, deterministic output.
 */
package io.snapgate.store.json;
