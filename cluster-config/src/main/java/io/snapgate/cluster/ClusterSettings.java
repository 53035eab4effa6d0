package io.snapgate.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how this node joins the Hazelcast cluster.
 *
 * @param clusterName       Hazelcast cluster name; nodes with another name never join
 * @param members           TCP-IP members, each {@code host} or {@code host:port} (no port ranges)
 * @param interfaceAddress  the only interface Hazelcast binds to and advertises
 * @param port              first member port
 * @param portAutoIncrement try the next ports when {@code port} is taken
 * @param userConfig        a hazelcast .xml/.yaml/.yml file that replaces the whole default
 *                          (all the other settings are then ignored)
 */
public record ClusterSettings(String clusterName, List<String> members, String interfaceAddress,
        int port, boolean portAutoIncrement, Optional<Path> userConfig) {

    public static final String DEFAULT_CLUSTER_NAME = "snapgate";
    public static final String DEFAULT_INTERFACE = "127.0.0.1";
    public static final int DEFAULT_PORT = 5701;

    public ClusterSettings {
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("cluster name must not be empty");
        }
        if (members == null || members.isEmpty()) {
            throw new IllegalArgumentException("members must not be empty");
        }
        members = List.copyOf(members);
        members.forEach(ClusterSettings::checkMember);
        if (interfaceAddress == null || interfaceAddress.isBlank()) {
            throw new IllegalArgumentException("interface address must not be empty");
        }
        checkPort("port", port);
        userConfig = Objects.requireNonNullElse(userConfig, Optional.empty());
        userConfig.ifPresent(ClusterSettings::checkUserConfig);
    }

    /** 127.0.0.1:5701 (auto-increment), member 127.0.0.1, cluster "snapgate". */
    public static ClusterSettings defaults() {
        return new ClusterSettings(DEFAULT_CLUSTER_NAME, List.of(DEFAULT_INTERFACE), DEFAULT_INTERFACE,
                DEFAULT_PORT, true, Optional.empty());
    }

    public ClusterSettings withClusterName(String name) {
        return new ClusterSettings(name, members, interfaceAddress, port, portAutoIncrement, userConfig);
    }

    public ClusterSettings withMembers(List<String> list) {
        return new ClusterSettings(clusterName, list, interfaceAddress, port, portAutoIncrement, userConfig);
    }

    public ClusterSettings withInterface(String address) {
        return new ClusterSettings(clusterName, members, address, port, portAutoIncrement, userConfig);
    }

    public ClusterSettings withPort(int p, boolean autoIncrement) {
        return new ClusterSettings(clusterName, members, interfaceAddress, p, autoIncrement, userConfig);
    }

    public ClusterSettings withUserConfig(Path file) {
        return new ClusterSettings(clusterName, members, interfaceAddress, port, portAutoIncrement,
                Optional.ofNullable(file));
    }

    /** "xml" or "yaml" for a user config file name; anything else is refused. */
    static String configFormat(Path file) {
        String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        if (name.endsWith(".xml")) {
            return "xml";
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return "yaml";
        }
        throw new IllegalArgumentException("hazelcast config " + file
                + ": unknown extension (expected .xml, .yaml or .yml)");
    }

    private static void checkUserConfig(Path file) {
        configFormat(file);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("hazelcast config " + file + ": no such file");
        }
    }

    private static void checkMember(String member) {
        if (member == null || member.isBlank()) {
            throw new IllegalArgumentException("member must not be empty");
        }
        String portPart = portPart(member);
        if (portPart == null) {
            return;
        }
        if (portPart.contains("-")) {
            throw new IllegalArgumentException("member '" + member
                    + "': port ranges are not supported, list each member as host or host:port");
        }
        try {
            checkPort("member '" + member + "' port", Integer.parseInt(portPart));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("member '" + member + "': invalid port '" + portPart + "'");
        }
    }

    /** The text after the host's port separator, or null: "[v6]:p" and "host:p"; bare IPv6 has none. */
    private static String portPart(String member) {
        if (member.startsWith("[")) {
            int close = member.indexOf("]:");
            return close < 0 ? null : member.substring(close + 2);
        }
        int colon = member.indexOf(':');
        return colon < 0 || colon != member.lastIndexOf(':') ? null : member.substring(colon + 1);
    }

    private static void checkPort(String what, int value) {
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException(what + " " + value + " out of range 1-65535");
        }
    }
}
