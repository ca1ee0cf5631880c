package dev.kapi.identity;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Locale;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;

import dev.kapi.identity.password.PasswordScreening;

/**
 * A new password that meets the configured length rules
 * ({@code kapi.identity.password.min-length}, {@code max-length}), is not known from a
 * breach and not too guessable ({@link PasswordScreening}); checked with the request's
 * other fields so that one answer lists every problem.
 */
@Documented
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER })
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = AcceptablePassword.Rules.class)
public @interface AcceptablePassword {

    String message() default "password";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** The length rules, with the configured limits in the message. */
    final class Rules implements ConstraintValidator<AcceptablePassword, String> {

        private final IdentitySettings.Password settings;

        private final MessageSource messages;

        private final PasswordScreening screening;

        Rules(IdentitySettings settings, MessageSource messages, PasswordScreening screening) {
            this.settings = settings.password();
            this.messages = messages;
            this.screening = screening;
        }

        @Override
        public boolean isValid(String password, ConstraintValidatorContext context) {
            if (password == null) {
                return true;
            }
            String code = password.length() < settings.minLength() ? "password-too-short"
                    : password.length() > settings.maxLength() ? "password-too-long" : null;
            Object[] args;
            if (code == null) {
                PasswordScreening.Refusal refusal = screening.screen(password).orElse(null);
                if (refusal == null) {
                    return true;
                }
                code = refusal.code();
                args = refusal.args();
            }
            else {
                args = new Object[] { code.equals("password-too-short") ? settings.minLength() : settings.maxLength() };
            }
            Locale locale = LocaleContextHolder.getLocale();
            String message = messages.getMessage("error." + code, args, locale);
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(message.replaceAll("([{}$\\\\])", "\\\\$1"))
                .addConstraintViolation();
            return false;
        }

    }

}
