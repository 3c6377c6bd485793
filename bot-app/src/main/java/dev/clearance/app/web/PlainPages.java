package dev.clearance.app.web;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** Pages that need no person: after signing out, and {@code /} while the web page is off. */
class PlainPages {
    @Controller
    static class SignedOut {
        @GetMapping("/signed-out")
        String signedOut() {
            return "signed-out";
        }
    }

    @Controller
    @ConditionalOnExpression(WebSecurityConfiguration.WEB_PAGE_OFF)
    static class Off {
        @GetMapping("/")
        String off() {
            return "off";
        }
    }
}
