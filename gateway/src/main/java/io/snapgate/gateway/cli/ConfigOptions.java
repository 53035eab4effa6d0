package io.snapgate.gateway.cli;

import io.snapgate.gateway.config.ConfigFile;
import io.snapgate.gateway.config.ConfigKey;
import io.snapgate.gateway.config.GatewayConfig;
import io.snapgate.gateway.config.Setting;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The configuration flags, made from {@link ConfigKey} so that flags, environment variables and config-file
 * keys never drift apart, and the resolution of a command's {@link GatewayConfig} from all three.
 */
final class ConfigOptions {
    static final String CONFIG_FLAG = "--config";
    static final String CONFIG_ENV = "SNAPGATE_CONFIG";
    private static final String BOOL = "BOOL";

    private ConfigOptions() {
    }

    /** Adds {@code --config} and a flag per key ({@code serve} gets them all, other commands the shared ones). */
    static void addTo(CommandSpec spec, boolean serve) {
        spec.addOption(OptionSpec.builder(CONFIG_FLAG).paramLabel("FILE").type(Path.class)
                .description("config file, JSON or properties (env " + CONFIG_ENV + ")").build());
        for (ConfigKey key : ConfigKey.values()) {
            if (serve || !key.serveOnly()) {
                OptionSpec.Builder option = OptionSpec.builder(key.flag()).paramLabel(key.label()).type(String.class)
                        .description(key.description() + " (env " + key.env() + "; default " + key.defaultText() + ")");
                if (BOOL.equals(key.label())) {
                    option.arity("0..1").fallbackValue("true"); // --cluster alone means --cluster true
                }
                spec.addOption(option.build());
            }
        }
    }

    /** Flags over environment over config file over defaults. */
    static GatewayConfig resolve(CommandSpec spec, Map<String, String> env) {
        ParseResult parsed = spec.commandLine().getParseResult();
        Map<ConfigKey, Setting> flags = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            if (parsed.hasMatchedOption(key.flag())) {
                flags.put(key, new Setting(parsed.matchedOptionValue(key.flag(), ""), key.flag()));
            }
        }
        Path fromEnv = env.containsKey(CONFIG_ENV) ? Path.of(env.get(CONFIG_ENV)) : null;
        Path file = parsed.matchedOptionValue(CONFIG_FLAG, fromEnv);
        return GatewayConfig.from(flags, GatewayConfig.fromEnvironment(env),
                file == null ? Map.of() : ConfigFile.read(file));
    }
}
