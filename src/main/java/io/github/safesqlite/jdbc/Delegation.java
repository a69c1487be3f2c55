package io.github.safesqlite.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.sql.ResultSet;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.dynamic.scaffold.subclass.ConstructorStrategy;
import net.bytebuddy.implementation.MethodCall;

/**
 * Generates, once per class, the plain delegation of a JDBC interface: every method the
 * hand-written abstract base leaves abstract becomes {@code return delegate().sameMethod(args)},
 * compiled straight into bytecode, so there is no reflection or proxy dispatch per call (the way
 * HikariCP generates its proxies). Where the base declares {@code wrap(ResultSet)}, methods
 * returning a ResultSet pass their result through it, so metadata queries keep logical identity.
 */
final class Delegation {

    private Delegation() {
    }

    /**
     * Generates the concrete subclass of {@code base} and returns a handle to its constructor
     * taking {@code parameterTypes}.
     */
    static MethodHandle generate(Class<?> base, Class<?>... parameterTypes) {
        try {
            Method delegate = findDelegateMethod(base);
            MethodCall toDelegate = MethodCall.invokeSelf().onMethodCall(MethodCall.invoke(delegate)).withAllArguments();
            DynamicType.Builder<?> builder = new ByteBuddy()
                    .subclass(base, ConstructorStrategy.Default.IMITATE_SUPER_CLASS_OPENING)
                    .name(base.getName() + "$Generated");
            Method wrap = findWrapMethod(base);
            if (wrap != null) {
                builder = builder
                        .method(isAbstract().and(returns(ResultSet.class)))
                        .intercept(MethodCall.invoke(wrap).withMethodCall(toDelegate))
                        .method(isAbstract().and(not(returns(ResultSet.class))))
                        .intercept(toDelegate);
            } else {
                builder = builder.method(isAbstract()).intercept(toDelegate);
            }
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(base, MethodHandles.lookup());
            Class<?> generated = builder.make()
                    .load(base.getClassLoader(), ClassLoadingStrategy.UsingLookup.of(lookup))
                    .getLoaded();
            return lookup.findConstructor(generated, MethodType.methodType(void.class, parameterTypes))
                    .asType(MethodType.methodType(base, parameterTypes));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot generate the JDBC delegation for " + base.getName(), e);
        }
    }

    private static Method findDelegateMethod(Class<?> base) throws NoSuchMethodException {
        for (Class<?> c = base; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredMethod("delegate");
            } catch (NoSuchMethodException ignored) {
                // look further up
            }
        }
        throw new NoSuchMethodException(base.getName() + ".delegate()");
    }

    private static Method findWrapMethod(Class<?> base) {
        for (Class<?> c = base; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredMethod("wrap", ResultSet.class);
            } catch (NoSuchMethodException ignored) {
                // look further up
            }
        }
        return null;
    }
}
