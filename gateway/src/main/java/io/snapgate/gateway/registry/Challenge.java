package io.snapgate.gateway.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code WWW-Authenticate} challenge (RFC 7235), as registries send them with a 401: {@code Basic realm="..."}
 * or {@code Bearer realm="https://auth/token",service="registry",scope="repository:app:pull"}.
 *
 * @param scheme lowercase: {@code basic} or {@code bearer}
 */
record Challenge(String scheme, Map<String, String> params) {
    /** Parses one header value; quoted values may hold commas ({@code scope="repository:a:pull,push"}). */
    static Challenge parse(String header) {
        String value = header.strip();
        int space = value.indexOf(' ');
        String scheme = (space < 0 ? value : value.substring(0, space)).toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        int i = space < 0 ? value.length() : space + 1;
        while (i < value.length()) {
            int eq = value.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = value.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            StringBuilder v = new StringBuilder();
            int j = eq + 1;
            if (j < value.length() && value.charAt(j) == '"') {
                for (j++; j < value.length() && value.charAt(j) != '"'; j++) {
                    if (value.charAt(j) == '\\' && j + 1 < value.length()) {
                        j++;
                    }
                    v.append(value.charAt(j));
                }
                j++; // the closing quote
            } else {
                for (; j < value.length() && value.charAt(j) != ','; j++) {
                    v.append(value.charAt(j));
                }
            }
            params.put(name, v.toString().strip());
            int comma = value.indexOf(',', j);
            i = comma < 0 ? value.length() : comma + 1;
        }
        return new Challenge(scheme, params);
    }

    String param(String name) {
        return params.get(name);
    }
}
