package io.github.safesqlite.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.Test;

/** The delegation classes come from the build, and the generator leaves no method abstract. */
class DelegationTest {

    @Test
    void everyDelegationClassIsBuiltIntoTheClassOutputNotGeneratedAtFirstUse() throws Exception {
        for (Class<?> base : Delegation.BASES) {
            String file = base.getSimpleName() + "$Generated.class";
            assertNotNull(base.getResource(file), file + " is missing from the build output: the build step that "
                    + "generates it (exec-maven-plugin, process-classes) did not run");
            Class<?> built = Class.forName(base.getName() + "$Generated");
            assertEquals(base.getClassLoader(), built.getClassLoader(), "loaded with the library, from its class files");
        }
    }

    @Test
    void theGeneratorImplementsEveryAbstractMethod() throws Exception {
        for (Class<?> base : Delegation.BASES) {
            // Generated again into a throw-away class loader: the fallback path, and the build's own input.
            try (DynamicType.Unloaded<?> type = Delegation.make(base)) {
                Class<?> fresh = type.load(new ClassLoader(base.getClassLoader()) { },
                        ClassLoadingStrategy.Default.CHILD_FIRST).getLoaded();
                Method[] abstractLeft = Arrays.stream(fresh.getMethods())
                        .filter(m -> Modifier.isAbstract(m.getModifiers())).toArray(Method[]::new);
                assertFalse(abstractLeft.length > 0, base.getName() + " leaves " + Arrays.toString(abstractLeft));
            }
        }
    }
}
