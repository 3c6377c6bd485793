package dev.clearance.app.api;

import dev.clearance.app.config.ClearanceProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

@Configuration(proxyBeanMethods = false)
class ApiConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(ApiConfiguration.class);

    @Bean
    FilterRegistrationBean<ApiTokenFilter> apiTokenFilter(ClearanceProperties properties) {
        List<String> tokens = new ArrayList<>();
        if (properties.api().tokens() != null) {
            properties.api().tokens().stream().map(String::strip).filter(t -> !t.isEmpty()).forEach(tokens::add);
        }
        if (properties.api().tokensFile() != null && !properties.api().tokensFile().isBlank()) {
            try {
                Arrays.stream(Files.readString(java.nio.file.Path.of(properties.api().tokensFile()), StandardCharsets.UTF_8).split("[,\\s]+"))
                        .map(String::strip).filter(t -> !t.isEmpty()).forEach(tokens::add);
            } catch (IOException e) {
                throw new IllegalStateException("clearance.api.tokens-file (CLEARANCE_API_TOKENS_FILE): cannot read "
                        + properties.api().tokensFile());
            }
        }
        if (tokens.isEmpty()) {
            LOG.warn("no API token configured (CLEARANCE_API_TOKENS): /api/v1 answers 401 to every call");
        } else if (tokens.stream().anyMatch(t -> t.length() < 16)) {
            LOG.warn("an API token is shorter than 16 characters: fine for a trial, too weak for production");
        }
        FilterRegistrationBean<ApiTokenFilter> registration = new FilterRegistrationBean<>(new ApiTokenFilter(tokens));
        registration.addUrlPatterns("/api/v1/*");
        registration.setOrder(0);
        return registration;
    }
}
