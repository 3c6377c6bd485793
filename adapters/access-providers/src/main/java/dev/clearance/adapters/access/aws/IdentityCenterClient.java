package dev.clearance.adapters.access.aws;

import dev.clearance.core.port.AccessProvider.AccessProviderException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.identitystore.IdentitystoreClient;
import software.amazon.awssdk.services.identitystore.model.AlternateIdentifier;
import software.amazon.awssdk.services.identitystore.model.UniqueAttribute;
import software.amazon.awssdk.services.ssoadmin.SsoAdminClient;
import software.amazon.awssdk.services.ssoadmin.model.AccountAssignmentOperationStatus;
import software.amazon.awssdk.services.ssoadmin.model.InstanceMetadata;
import software.amazon.awssdk.services.ssoadmin.model.PrincipalType;
import software.amazon.awssdk.services.ssoadmin.model.StatusValues;
import software.amazon.awssdk.services.ssoadmin.model.TargetType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Every call Clearance makes to IAM Identity Center (SSO Admin and the identity store), one method per question or
 * change, with the instance and identity store resolved once. Decides nothing and keeps no record: that is
 * {@link AssignmentPlanner}'s and the {@link AssignmentLedger}'s.
 */
final class IdentityCenterClient {
    private final SsoAdminClient ssoAdmin;
    private final IdentitystoreClient identityStore;
    private final IdentityCenterSettings settings;
    private final Pause pause;
    private final String instanceArn;
    private final String identityStoreId;

    /**
     * Resolves the instance and identity store now (ListInstances when they are not configured), so that a wrong
     * setup stops the start with a message naming what to set.
     */
    IdentityCenterClient(SsoAdminClient ssoAdmin, IdentitystoreClient identityStore, IdentityCenterSettings settings,
                         Pause pause) {
        this.ssoAdmin = ssoAdmin;
        this.identityStore = identityStore;
        this.settings = settings;
        this.pause = pause;
        if (settings.instanceArn().isPresent() && settings.identityStoreId().isPresent()) {
            this.instanceArn = settings.instanceArn().get();
            this.identityStoreId = settings.identityStoreId().get();
        } else {
            InstanceMetadata instance = findInstance(settings.instanceArn());
            this.instanceArn = instance.instanceArn();
            this.identityStoreId = settings.identityStoreId().orElse(instance.identityStoreId());
        }
    }

    /** Clients from the AWS SDK's default chains: region, credentials and endpoints ({@code AWS_ENDPOINT_URL…}). */
    static IdentityCenterClient fromEnvironment(IdentityCenterSettings settings, Pause pause) {
        SsoAdminClient sso;
        IdentitystoreClient ids;
        try {
            sso = SsoAdminClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
            ids = IdentitystoreClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        } catch (SdkException e) {
            throw new IllegalStateException("aws-identity-center: the AWS SDK could not be set up (" + e.getMessage()
                    + "); set AWS_REGION (or a profile with a region, AWS_PROFILE) and credentials", e);
        }
        return new IdentityCenterClient(sso, ids, settings, pause);
    }

    private InstanceMetadata findInstance(Optional<String> arn) {
        List<InstanceMetadata> instances = new ArrayList<>();
        try {
            ssoAdmin.listInstancesPaginator(b -> { }).instances().forEach(instances::add);
        } catch (SdkException e) {
            throw new IllegalStateException("aws-identity-center: ListInstances failed (" + describe(e) + "); check the"
                    + " AWS region and credentials, or set CLEARANCE_AWS_INSTANCE_ARN and CLEARANCE_AWS_IDENTITY_STORE_ID", e);
        }
        if (arn.isPresent()) {
            return instances.stream().filter(i -> arn.get().equals(i.instanceArn())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("aws-identity-center: CLEARANCE_AWS_INSTANCE_ARN " + arn.get()
                            + " is not among the instances ListInstances returns; set CLEARANCE_AWS_IDENTITY_STORE_ID too"
                            + " if the instance is not listed to these credentials"));
        }
        if (instances.size() != 1) {
            throw new IllegalStateException("aws-identity-center: ListInstances returned " + instances.size()
                    + " IAM Identity Center instances; set CLEARANCE_AWS_INSTANCE_ARN (and CLEARANCE_AWS_IDENTITY_STORE_ID)"
                    + " to the one to use");
        }
        return instances.get(0);
    }

    String instanceArn() {
        return instanceArn;
    }

    String identityStoreId() {
        return identityStoreId;
    }

    /** The Identity Center user whose unique attribute is this email; empty when there is none. */
    Optional<String> userId(String email) {
        try {
            return Optional.of(identityStore.getUserId(b -> b.identityStoreId(identityStoreId).alternateIdentifier(
                    AlternateIdentifier.fromUniqueAttribute(UniqueAttribute.builder()
                            .attributePath(settings.userAttributePath()).attributeValue(Document.fromString(email)).build())))
                    .userId());
        } catch (software.amazon.awssdk.services.identitystore.model.ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Why no user can be found for this email, naming the attribute and the identity store searched. */
    String noUser(String email) {
        return "no IAM Identity Center user has " + settings.userAttributePath() + " = " + email
                + " in identity store " + identityStoreId;
    }

    /** The permission set exists in the instance; empty when it does, else what AWS said. */
    Optional<String> checkPermissionSet(String permissionSetArn) {
        try {
            ssoAdmin.describePermissionSet(b -> b.instanceArn(instanceArn).permissionSetArn(permissionSetArn));
            return Optional.empty();
        } catch (SdkException e) {
            return Optional.of(permissionSetArn + ": " + describe(e));
        }
    }

    /** Whether the user has the assignment on AWS now. */
    boolean assigned(AssignmentKey key) {
        return ssoAdmin.listAccountAssignmentsPaginator(b -> b.instanceArn(key.instanceArn()).accountId(key.accountId())
                        .permissionSetArn(key.permissionSetArn()))
                .accountAssignments().stream()
                .anyMatch(x -> x.principalType() == PrincipalType.USER && key.principalId().equals(x.principalId()));
    }

    /** The users assigned the key's permission set on its account (its principal is ignored). */
    Set<String> assignedUsers(AssignmentKey k) {
        Set<String> users = new HashSet<>();
        ssoAdmin.listAccountAssignmentsPaginator(b -> b.instanceArn(k.instanceArn()).accountId(k.accountId())
                        .permissionSetArn(k.permissionSetArn())).accountAssignments().stream()
                .filter(x -> x.principalType() == PrincipalType.USER).forEach(x -> users.add(x.principalId()));
        return users;
    }

    /** Sends CreateAccountAssignment. */
    AccountAssignmentOperationStatus create(AssignmentKey key) {
        return ssoAdmin.createAccountAssignment(b -> b.instanceArn(key.instanceArn())
                .targetId(key.accountId()).targetType(TargetType.AWS_ACCOUNT).permissionSetArn(key.permissionSetArn())
                .principalType(PrincipalType.USER).principalId(key.principalId())).accountAssignmentCreationStatus();
    }

    /** Where a creation stands now (one call, no waiting). */
    StatusValues creationStatus(AssignmentKey key, String requestId) {
        return ssoAdmin.describeAccountAssignmentCreationStatus(b -> b.instanceArn(key.instanceArn())
                .accountAssignmentCreationRequestId(requestId)).accountAssignmentCreationStatus().status();
    }

    /** Polls the creation until it ends (see {@link #poll}). */
    AccountAssignmentOperationStatus awaitCreation(AssignmentKey key, String requestId) throws AccessProviderException {
        return poll(() -> ssoAdmin.describeAccountAssignmentCreationStatus(b -> b
                .instanceArn(key.instanceArn()).accountAssignmentCreationRequestId(requestId)).accountAssignmentCreationStatus(),
                "creation", requestId);
    }

    /** Sends DeleteAccountAssignment; empty when AWS says there is nothing to delete. */
    Optional<AccountAssignmentOperationStatus> delete(AssignmentKey key) {
        try {
            return Optional.of(ssoAdmin.deleteAccountAssignment(b -> b.instanceArn(key.instanceArn()).targetId(key.accountId())
                    .targetType(TargetType.AWS_ACCOUNT).permissionSetArn(key.permissionSetArn())
                    .principalType(PrincipalType.USER).principalId(key.principalId())).accountAssignmentDeletionStatus());
        } catch (software.amazon.awssdk.services.ssoadmin.model.ResourceNotFoundException gone) {
            return Optional.empty();
        }
    }

    /** Polls the deletion until it ends (see {@link #poll}). */
    AccountAssignmentOperationStatus awaitDeletion(AssignmentKey key, String requestId) throws AccessProviderException {
        return poll(() -> ssoAdmin.describeAccountAssignmentDeletionStatus(b -> b
                .instanceArn(key.instanceArn()).accountAssignmentDeletionRequestId(requestId)).accountAssignmentDeletionStatus(),
                "deletion", requestId);
    }

    /** Polls until SUCCEEDED or FAILED; still IN_PROGRESS after the configured polls fails this attempt. */
    private AccountAssignmentOperationStatus poll(Supplier<AccountAssignmentOperationStatus> call, String what,
                                                  String requestId) throws AccessProviderException {
        for (int i = 1; ; i++) {
            AccountAssignmentOperationStatus status = call.get();
            if (status.status() == StatusValues.SUCCEEDED || status.status() == StatusValues.FAILED) {
                return status;
            }
            if (i >= settings.polls()) {
                throw new AccessProviderException("assignment " + what + " " + requestId + " still in progress after "
                        + i + " polls; the next attempt polls it again");
            }
            try {
                pause.pause(settings.pollInterval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AccessProviderException("interrupted while polling assignment " + what + " " + requestId, e);
            }
        }
    }

    /** AWS's error code and message, else the exception's class and message. */
    static String describe(SdkException e) {
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            return s.awsErrorDetails().errorCode() + ": " + s.awsErrorDetails().errorMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
