package io.github.safesqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import javax.naming.Reference;
import javax.naming.StringRefAddr;
import org.junit.jupiter.api.Test;

/**
 * Every setting is written once, in {@link Setting}; this checks everything else against it: the
 * builder's typed methods, the DataSource's JavaBean setters, the URL, Properties and JNDI
 * parsers, and the README's settings table. Adding a setting without any of them fails here.
 */
class SettingsContractTest {

    @Test
    void everySettingHasATypedBuilderMethodAndAJavaBeanSetter() {
        List<String> missing = new ArrayList<>();
        for (Setting s : Setting.values()) {
            if (oneArgument(SafeSqliteConfig.Builder.class, s.builderMethod()) == null) {
                missing.add("SafeSqliteConfig.Builder." + s.builderMethod() + "(...) for " + s.key);
            }
            if (oneArgument(SafeSqliteDataSource.class, s.beanSetter()) == null) {
                missing.add("SafeSqliteDataSource." + s.beanSetter() + "(...) for " + s.key);
            }
        }
        assertTrue(missing.isEmpty(), "settings without their method: " + missing);
    }

    @Test
    void everyRouteGivesTheSameSettingTheSameValue() throws Exception {
        for (Setting s : Setting.values()) {
            String value = s.defaultText;
            SafeSqliteConfig fromBuilder = SafeSqliteDataSource.builder().path(":memory:").set(s.key, value).build();
            SafeSqliteConfig fromUrl = JdbcUrl.apply("jdbc:safesqlite::memory:?" + s.key + "=" + value, new Properties(),
                    SafeSqliteDataSource.builder()).build();
            Properties props = new Properties();
            props.setProperty(s.key, value);
            SafeSqliteConfig fromProperties = JdbcUrl.apply("jdbc:safesqlite::memory:", props,
                    SafeSqliteDataSource.builder()).build();
            SafeSqliteDataSource bean = new SafeSqliteDataSource();
            bean.setPath(":memory:");
            bean.setProperty(s.key, value);
            Reference ref = new Reference(SafeSqliteDataSource.class.getName());
            ref.add(new StringRefAddr("path", ":memory:"));
            ref.add(new StringRefAddr(s.key, value));
            SafeSqliteDataSource jndi = (SafeSqliteDataSource) new SafeSqliteObjectFactory()
                    .getObjectInstance(ref, null, null, null);
            for (SafeSqliteConfig c : List.of(fromUrl, fromProperties, bean.getConfig(), jndi.getConfig())) {
                assertEquals(fromBuilder.settings().get(s.key), c.settings().get(s.key), s.key);
            }
        }
    }

    @Test
    void theReadmeSettingsTableIsTheOneTheSettingsDescribe() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        StringBuilder table = new StringBuilder("| key | default | meaning (builder method, DataSource setter) |\n|---|---|---|\n");
        for (Setting s : Setting.values()) {
            table.append(s.readmeRow()).append('\n');
        }
        assertTrue(readme.contains(table), "README.md's settings table differs from the settings; replace it with:\n"
                + table);
    }

    /**
     * Spring Boot's IDE metadata lists every setting under {@code spring.datasource.safesqlite.*},
     * with its meaning and default. On a difference the expected file is written to
     * {@code target/spring-configuration-metadata.json}, to copy over.
     */
    @Test
    void theSpringMetadataListsEverySetting() throws Exception {
        StringBuilder json = new StringBuilder("{\n  \"groups\": [\n    {\"name\": \"spring.datasource.safesqlite\", "
                + "\"description\": \"safesqlite settings, as in a jdbc:safesqlite: URL; these win over the URL's\"}\n  ],\n"
                + "  \"properties\": [\n");
        for (Setting s : Setting.values()) {
            String type = s.defaultText.equals("true") || s.defaultText.equals("false") ? "java.lang.Boolean"
                    : s.defaultText.matches("-?[0-9]+") ? "java.lang.Long" : "java.lang.String";
            json.append("    {\"name\": \"spring.datasource.safesqlite.").append(s.key.replace('_', '-'))
                    .append("\", \"type\": \"").append(type).append("\", \"description\": \"")
                    .append(s.doc.replace("\\", "\\\\").replace("\"", "\\\"").replace("`", ""))
                    .append("\", \"defaultValue\": \"").append(s.defaultText).append("\"},\n");
        }
        json.append("    {\"name\": \"spring.datasource.safesqlite-metrics.percentiles\", \"type\": \"double[]\", "
                + "\"description\": \"percentiles every safesqlite timer publishes to Micrometer (none by default)\"}\n  ]\n}\n");
        Path file = Path.of("src/main/resources/META-INF/spring-configuration-metadata.json");
        String actual = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        if (!actual.equals(json.toString())) {
            Files.writeString(Path.of("target/spring-configuration-metadata.json"), json, StandardCharsets.UTF_8);
        }
        assertEquals(json.toString(), actual, "copy target/spring-configuration-metadata.json over " + file);
    }

    private static Method oneArgument(Class<?> type, String name) {
        return Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(name) && m.getParameterCount() == 1)
                .findFirst().orElse(null);
    }
}
