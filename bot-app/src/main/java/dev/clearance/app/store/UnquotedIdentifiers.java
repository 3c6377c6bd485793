package dev.clearance.app.store;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.relational.core.mapping.RelationalMappingContext;

/**
 * Spring Data JDBC quotes identifiers and, on H2, upper-cases them; our migrations use plain lower-case names that
 * PostgreSQL (and H2 with DATABASE_TO_LOWER) fold the same way. Unquoted identifiers keep one schema for both.
 */
@Configuration(proxyBeanMethods = false)
class UnquotedIdentifiers {
    @Bean
    static BeanPostProcessor unquotedRelationalIdentifiers() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof RelationalMappingContext context) {
                    context.setForceQuote(false);
                }
                return bean;
            }
        };
    }
}
