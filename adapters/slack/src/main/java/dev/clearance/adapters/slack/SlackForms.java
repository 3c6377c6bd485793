package dev.clearance.adapters.slack;

import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.view.ViewState;
import dev.clearance.cards.slack.SlackIds;
import dev.clearance.core.model.ClearanceException;
import dev.clearance.core.model.InvalidInputException;
import dev.clearance.core.model.Origin;
import dev.clearance.core.model.RequestId;
import dev.clearance.core.model.UserEmail;
import dev.clearance.core.port.ChatChannel.DeliveryException;
import dev.clearance.core.service.AccessRequestService;
import dev.clearance.core.service.Commands;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static dev.clearance.adapters.slack.SlackPayloads.caller;
import static dev.clearance.adapters.slack.SlackPayloads.selected;
import static dev.clearance.adapters.slack.SlackPayloads.text;

/** The modals' submissions (justify, decide, request, extend): each one service call, refusals shown on the field. */
final class SlackForms {
    private final AccessRequestService service;
    private final SlackIdentities identities;

    SlackForms(AccessRequestService service, SlackIdentities identities) {
        this.service = service;
        this.identities = identities;
    }

    Response submitJustification(ViewSubmissionRequest req, ViewSubmissionContext ctx) {
        var view = req.getPayload().getView();
        Map<String, Map<String, ViewState.Value>> values = view.getState().getValues();
        return onSubmit(caller(req.getPayload()), ctx, SlackIds.JUSTIFICATION_BLOCK, me ->
                service.justify(new Commands.Justify(RequestId.parse(view.getPrivateMetadata()), me,
                        text(values, SlackIds.JUSTIFICATION_BLOCK), Optional.ofNullable(selected(values, SlackIds.DURATION_BLOCK)),
                        origin(req))));
    }

    Response submitDecision(ViewSubmissionRequest req, ViewSubmissionContext ctx) {
        var view = req.getPayload().getView();
        String[] meta = Optional.ofNullable(view.getPrivateMetadata()).orElse("").split(":", 2);
        Map<String, Map<String, ViewState.Value>> values = view.getState().getValues();
        return onSubmit(caller(req.getPayload()), ctx, SlackIds.REASON_BLOCK, me ->
                service.decide(new Commands.Decide(RequestId.parse(meta.length == 2 ? meta[1] : ""), me, meta[0],
                        text(values, SlackIds.REASON_BLOCK), Optional.ofNullable(selected(values, SlackIds.DURATION_BLOCK)),
                        origin(req))));
    }

    Response submitExtension(ViewSubmissionRequest req, ViewSubmissionContext ctx) {
        var view = req.getPayload().getView();
        Map<String, Map<String, ViewState.Value>> values = view.getState().getValues();
        return onSubmit(caller(req.getPayload()), ctx, SlackIds.JUSTIFICATION_BLOCK, me -> {
            var result = service.extend(new Commands.Extend(RequestId.parse(view.getPrivateMetadata()), me,
                    selected(values, SlackIds.DURATION_BLOCK), text(values, SlackIds.JUSTIFICATION_BLOCK), origin(req)));
            if (!result.created()) {
                throw new InvalidInputException("justification", "extension " + result.request().id()
                        + " is already waiting for approvers");
            }
        });
    }

    Response submitRequest(ViewSubmissionRequest req, ViewSubmissionContext ctx) {
        Map<String, Map<String, ViewState.Value>> values = req.getPayload().getView().getState().getValues();
        return onSubmit(caller(req.getPayload()), ctx, SlackIds.RESOURCE_BLOCK, me -> {
            var result = service.intake(new Commands.Intake(me, text(values, SlackIds.RESOURCE_BLOCK),
                    text(values, SlackIds.ACCOUNT_BLOCK), Optional.empty(),
                    Optional.ofNullable(selected(values, SlackIds.DURATION_BLOCK)),
                    Optional.ofNullable(text(values, SlackIds.JUSTIFICATION_BLOCK)), Optional.of("slack"), Optional.empty(),
                    origin(req)));
            if (!result.created()) {
                throw new InvalidInputException("resource", "you already have " + result.request().id() + " ("
                        + result.request().status().name().toLowerCase(Locale.ROOT) + ") for this access");
            }
        });
    }

    /** NB: the origin is the user and workspace of Slack's signed payload, never a field the user typed. */
    private static Origin origin(ViewSubmissionRequest req) {
        var p = req.getPayload();
        return Origin.slack(p.getUser().getId(), p.getTeam() != null ? p.getTeam().getId() : p.getUser().getTeamId());
    }

    private interface Submission {
        void run(UserEmail me);
    }

    /** Applies a modal; a refusal is shown inline on the field it concerns (or on {@code fallbackBlock}). */
    private Response onSubmit(SlackIdentities.Caller caller, ViewSubmissionContext ctx, String fallbackBlock, Submission work) {
        try {
            Optional<UserEmail> me = identities.emailOf(caller);
            if (me.isEmpty()) {
                return ctx.ackWithErrors(Map.of(fallbackBlock, SlackPayloads.noIdentity()));
            }
            work.run(me.get());
            return ctx.ack();
        } catch (SlackMembership.Refused e) {
            return ctx.ackWithErrors(Map.of(fallbackBlock, e.getMessage()));
        } catch (InvalidInputException e) {
            return ctx.ackWithErrors(Map.of(blockFor(e.field(), fallbackBlock), e.getMessage()));
        } catch (ClearanceException e) {
            return ctx.ackWithErrors(Map.of(fallbackBlock, e.getMessage()));
        } catch (DeliveryException e) {
            return ctx.ackWithErrors(Map.of(fallbackBlock, "Slack did not answer while I looked you up; try again."));
        }
    }

    private static String blockFor(String field, String fallback) {
        return switch (field) {
            case "justification" -> SlackIds.JUSTIFICATION_BLOCK;
            case "duration" -> SlackIds.DURATION_BLOCK;
            case "reason" -> SlackIds.REASON_BLOCK;
            case "resource" -> SlackIds.RESOURCE_BLOCK;
            case "account" -> SlackIds.ACCOUNT_BLOCK;
            default -> fallback;
        };
    }
}
