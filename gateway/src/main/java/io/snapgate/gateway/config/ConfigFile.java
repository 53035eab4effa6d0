package io.snapgate.gateway.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Reads a config file: a JSON object ({@code {"port": 8080, "tokens": ["a", "b"]}}) when the file starts with
 * {@code '{'}, else Java properties ({@code port=8080}). Keys are {@link ConfigKey#key()}; any other key is
 * refused, so a typo never passes silently.
 */
public final class ConfigFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigFile() {
    }

    public static Map<ConfigKey, Setting> read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        String origin = file.toString();
        return text.stripLeading().startsWith("{") ? json(text, origin) : properties(text, origin);
    }

    private static Map<ConfigKey, Setting> json(String text, String origin) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException("config file " + origin + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (!root.isObject()) {
            throw new ConfigException("config file " + origin + " must hold one JSON object");
        }
        Map<ConfigKey, Setting> settings = new EnumMap<>(ConfigKey.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode node = field.getValue();
            String value;
            if (node.isArray()) {
                value = java.util.stream.StreamSupport.stream(node.spliterator(), false).map(JsonNode::asText)
                        .collect(Collectors.joining(","));
            } else if (node.isValueNode() && !node.isNull()) {
                value = node.asText();
            } else {
                throw new ConfigException("config file " + origin + ": " + field.getKey()
                        + " must be a string, number, boolean or (for tokens) a list");
            }
            settings.put(key(field.getKey(), origin), new Setting(value, origin));
        }
        return settings;
    }

    private static Map<ConfigKey, Setting> properties(String text, String origin) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("config file " + origin + " is not a properties file: " + e.getMessage());
        }
        Map<ConfigKey, Setting> settings = new EnumMap<>(ConfigKey.class);
        for (String name : properties.stringPropertyNames()) {
            settings.put(key(name, origin), new Setting(properties.getProperty(name).strip(), origin));
        }
        return settings;
    }

    private static ConfigKey key(String name, String origin) {
        ConfigKey key = ConfigKey.ofKey(name);
        if (key == null) {
            throw new ConfigException("unknown key \"" + name + "\" in config file " + origin + "; known keys: "
                    + Arrays.stream(ConfigKey.values()).map(ConfigKey::key).collect(Collectors.joining(", ")));
        }
        return key;
    }
}
