package dev.kapi.shared;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.OverridesAttribute;
import jakarta.validation.Payload;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The {@code limit} of a list: from 1 to {@link #max()} rows a page (500 unless the list
 * says otherwise). Out of range it is a 400 naming {@code limit}, like any other invalid
 * parameter.
 */
@Documented
@Min(1)
@Max(PageLimit.MAX)
@Constraint(validatedBy = {})
@Target({ ElementType.PARAMETER, ElementType.FIELD, ElementType.RECORD_COMPONENT })
@Retention(RetentionPolicy.RUNTIME)
public @interface PageLimit {

    long MAX = 500;

    @OverridesAttribute(constraint = Max.class, name = "value")
    long max() default MAX;

    String message() default "";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

}
