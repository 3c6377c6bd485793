package dev.clearance.app.security;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The filters in front of everything, authentication included: bodies over their limit and malformed encodings are
 * refused before anything reads or parses them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HttpLimits.class)
class EntryLimitsConfiguration {

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimit(HttpLimits limits) {
        FilterRegistrationBean<BodySizeLimitFilter> registration = new FilterRegistrationBean<>(new BodySizeLimitFilter(limits));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<MalformedRequestFilter> malformedRequests() {
        FilterRegistrationBean<MalformedRequestFilter> registration = new FilterRegistrationBean<>(new MalformedRequestFilter());
        // after Spring Boot's CharacterEncodingFilter (HIGHEST_PRECEDENCE): forms are read as UTF-8
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
