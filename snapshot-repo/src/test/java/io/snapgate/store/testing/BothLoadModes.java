package io.snapgate.store.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs a test taking {@code boolean verify} twice: an unchecked load and a checked one must refuse alike. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "verify={0}")
@ValueSource(booleans = {false, true})
public @interface BothLoadModes {
}
