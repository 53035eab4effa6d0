package io.snapgate.store.index;

/**
 * A node that holds a snapshot's blobs in its store.
 *
 * @param node the node's cluster id
 * @param url the node's HTTP base URL, from which other nodes fetch the blobs
 * @param store the node's store directory
 * @param path the memory blob's file on that node
 * @param size the memory blob's size in bytes
 * @param verified whether the node hashed the blob (on save or receive) rather than only found it in its store
 */
public record Holder(String node, String url, String store, String path, long size, boolean verified) {
}
