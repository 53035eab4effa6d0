/**
 * A node that pulls what it lacks: a call or session for a tag neither the node nor its cluster has is served by
 * pulling that tag from the registry the {@code pullOnMiss} setting names, once however many calls ask
 * ({@link io.snapgate.gateway.pullonmiss.PullOnMiss}).
 */
package io.snapgate.gateway.pullonmiss;
