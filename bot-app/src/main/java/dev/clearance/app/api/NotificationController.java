package dev.clearance.app.api;

import dev.clearance.core.model.UserEmail;
import dev.clearance.core.service.AccessRequestService;
import dev.clearance.core.service.Commands;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

@RestController
@RequestMapping("/api/v1/notifications")
class NotificationController {
    private final AccessRequestService service;

    NotificationController(AccessRequestService service) {
        this.service = service;
    }

    /** Intake for a disabled service: no request is created, the user is only told. */
    @PostMapping("/disabled-service")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Map<String, String> disabledService(@RequestBody ApiBodies.DisabledService body) {
        service.notifyServiceDisabled(new Commands.DisabledService(UserEmail.parse("user", body.user()), body.service(), body.account(),
                ApiOrigin.current()));
        return Map.of("status", "notified");
    }
}
