package io.snapgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapgate.store.config.ConfigValidator;
import io.snapgate.store.config.FunctionConfig;
import io.snapgate.store.config.RegionConfig;
import io.snapgate.store.json.StrictJson;
import io.snapgate.store.oci.ImageManifest;
import io.snapgate.store.oci.MediaTypes;
import io.snapgate.store.oci.Tag;
import io.snapgate.store.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tripwires for the on-disk format. Every snapshot ever saved depends on these values: if one of these tests
 * fails, do not just update the expected value. Changing a media type, a version, a field name or a type name
 * makes stored snapshots unreadable; bump the version it belongs to (and the docs, docs/snapshot-format.md,
 * and vmm-worker's conversion) on purpose instead.
 */
class FormatTripwireTest {
    private static final String DO_NOT_JUST_UPDATE = "on-disk snapshot format changed: do not just update the expected "
            + "value; bump the format version and docs/snapshot-format.md on purpose";

    @Test
    void mediaTypes() {
        assertThat(MediaTypes.INDEX).as(DO_NOT_JUST_UPDATE).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(MediaTypes.MANIFEST).as(DO_NOT_JUST_UPDATE).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(MediaTypes.SNAPSHOT_CONFIG).as(DO_NOT_JUST_UPDATE)
                .isEqualTo("application/vnd.snapgate.snapshot.config.v1+json");
        assertThat(MediaTypes.SNAPSHOT_MEMORY).as(DO_NOT_JUST_UPDATE)
                .isEqualTo("application/vnd.snapgate.snapshot.memory.v1");
        assertThat(MediaTypes.REF_NAME).as(DO_NOT_JUST_UPDATE).isEqualTo("org.opencontainers.image.ref.name");
        assertThat(MediaTypes.CREATED).as(DO_NOT_JUST_UPDATE).isEqualTo("org.opencontainers.image.created");
    }

    @Test
    void versionsAndLimits() {
        assertThat(ConfigValidator.FORMAT_VERSION).as(DO_NOT_JUST_UPDATE).isEqualTo(1);
        assertThat(ConfigValidator.ABI_VERSION).as(DO_NOT_JUST_UPDATE + " (and SG_ABI_VERSION in docs/abi.md)")
                .isEqualTo(1);
        assertThat(ConfigValidator.ARCH).as(DO_NOT_JUST_UPDATE).isEqualTo("x86_64");
        assertThat(MediaTypes.LAYOUT_VERSION).as(DO_NOT_JUST_UPDATE).isEqualTo("1.0.0");
        assertThat(MediaTypes.SCHEMA_VERSION).as(DO_NOT_JUST_UPDATE).isEqualTo(2);
        assertThat(StrictJson.MAX_DOCUMENT).as(DO_NOT_JUST_UPDATE).isEqualTo(1 << 20);
        assertThat(ImageManifest.PAGE_SIZE).as(DO_NOT_JUST_UPDATE).isEqualTo(4096);
        assertThat(Tag.RULE).as(DO_NOT_JUST_UPDATE).isEqualTo("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
    }

    @Test
    void typeAndProtectionNames() {
        assertThat(FunctionConfig.TYPES).as(DO_NOT_JUST_UPDATE + " (the names follow docs/abi.md, Types)")
                .containsExactly("void", "i32", "u32", "i64", "u64", "f32", "f64", "bool", "string", "bytes", "json");
        assertThat(RegionConfig.PROTECTIONS).as(DO_NOT_JUST_UPDATE)
                .containsExactly("read-only", "read-write", "read-execute");
    }

    @Test
    void indexAndManifestAsWritten(@TempDir Path dir) throws IOException {
        SnapshotStore store = SnapshotStore.open(dir);
        String digest = store.save("hello-v1", Fixtures.config(), Fixtures.memory(1));
        assertThat(Files.readString(dir.resolve("index.json"))).as(DO_NOT_JUST_UPDATE).isEqualTo("{\"schemaVersion\":2,"
                + "\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + digest + "\",\"size\":554,"
                + "\"artifactType\":\"application/vnd.snapgate.snapshot.config.v1+json\","
                + "\"annotations\":{\"org.opencontainers.image.ref.name\":\"hello-v1\"}}]}");
        assertThat(Files.readString(store.blobFile(digest))).as(DO_NOT_JUST_UPDATE).isEqualTo("{\"schemaVersion\":2,"
                + "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"artifactType\":\"application/vnd.snapgate.snapshot.config.v1+json\",\"config\":{\"mediaType\":"
                + "\"application/vnd.snapgate.snapshot.config.v1+json\",\"digest\":\"sha256:"
                + "c09b25e91b47232d424849a25ad83c06c918b20e2dc7c7d5b11d44226564a8eb\",\"size\":1340},\"layers\":[{"
                + "\"mediaType\":\"application/vnd.snapgate.snapshot.memory.v1\",\"digest\":\"sha256:"
                + "57910c3a50cc1c6a90c21993a88fb50a533849fad45dba35db23b272fb074727\",\"size\":1200128}],"
                + "\"annotations\":{\"org.opencontainers.image.created\":\"2025-01-31T12:00:00Z\"}}");
        assertThat(digest).as(DO_NOT_JUST_UPDATE)
                .isEqualTo("sha256:7e16a37418f2f9793a25a993fc4eb0944c17ace6dc792ec4c04137ae8aad202c");
    }

    @Test
    void configFieldNames() {
        String json = new String(StrictJson.write(Fixtures.config()), StandardCharsets.UTF_8);
        assertThat(json).as(DO_NOT_JUST_UPDATE).isEqualTo("{\"formatVersion\":1,\"abiVersion\":1,\"arch\":\"x86_64\","
                + "\"createdBy\":\"emulated\",\"generation\":3,\"created\":\"2025-01-31T12:00:00Z\","
                + "\"memory\":{\"size\":1200128,\"regions\":["
                + "{\"name\":\"control\",\"address\":4096,\"size\":4096,\"protection\":\"read-write\"},"
                + "{\"name\":\"page-tables\",\"address\":8192,\"size\":12288,\"protection\":\"read-only\"},"
                + "{\"name\":\"image r-x @0x100000\",\"address\":1048576,\"size\":8192,"
                + "\"protection\":\"read-execute\"},"
                + "{\"name\":\"image r-- @0x102000\",\"address\":1056768,\"size\":4096,\"protection\":\"read-only\"},"
                + "{\"name\":\"image rw- @0x103000\",\"address\":1060864,\"size\":4096,\"protection\":\"read-write\"},"
                + "{\"name\":\"heap\",\"address\":1064960,\"size\":65536,\"protection\":\"read-write\"},"
                + "{\"name\":\"stack\",\"address\":1134592,\"size\":32768,\"protection\":\"read-write\"},"
                + "{\"name\":\"input\",\"address\":1167360,\"size\":16384,\"protection\":\"read-write\"},"
                + "{\"name\":\"output\",\"address\":1183744,\"size\":16384,\"protection\":\"read-write\"}]},"
                + "\"entry\":{\"dispatchAddress\":1048592,\"stackTop\":1167360,\"controlPage\":4096,\"rflags\":2,"
                + "\"cr0\":2147549235,\"cr3\":8192,\"cr4\":1568,\"efer\":1280},"
                + "\"functions\":[{\"name\":\"Echo\",\"parameters\":[\"string\"],\"returns\":\"string\"},"
                + "{\"name\":\"Add\",\"parameters\":[\"i32\",\"i32\"],\"returns\":\"i32\"},"
                + "{\"name\":\"NoOp\",\"parameters\":[],\"returns\":\"void\"}],"
                + "\"hostFunctions\":[{\"name\":\"HostPrint\",\"parameters\":[\"string\"],\"returns\":\"i32\"}],"
                + "\"codeDigest\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}");
    }
}
