package bench.runner;

import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * A real SQS server (ElasticMQ) in the runner's process on a free loopback port, the SDK client that feeds it, and the
 * floor consumer: what the queue itself delivers to pollers that do nothing but receive and delete.
 */
final class LocalSqs implements AutoCloseable {
    static final String REGION = "eu-west-1";
    final int port;
    private final SQSRestServer server;
    final SqsClient sqs;

    LocalSqs() {
        port = freePort();
        server = SQSRestServerBuilder.withPort(port).withInterface("127.0.0.1")
                .withServerAddress(new NodeAddress("http", "127.0.0.1", port, "")).start();
        server.waitUntilStarted();
        sqs = SqsClient.builder().endpointOverride(URI.create(url())).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    String create(String name) {
        return sqs.createQueue(b -> b.queueName(name)).queueUrl();
    }

    /**
     * Sends the bodies ten to a batch, one batch after another from this thread, as fast as the client goes; notes in
     * {@code sentNanos[first + i]} when the batch holding body {@code i} was sent (before the call, so the queue's
     * own time is inside every latency measured from it). Returns when the last batch was acknowledged.
     */
    long send(String queueUrl, List<String> bodies, long[] sentNanos, int first) {
        for (int from = 0; from < bodies.size(); from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(bodies.size(), from + 10); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(bodies.get(i)).build());
            }
            long now = System.nanoTime();
            for (int i = from; i < from + entries.size(); i++) {
                sentNanos[first + i] = now;
            }
            var answer = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            if (!answer.failed().isEmpty()) {
                throw new IllegalStateException("SQS refused a send: " + answer.failed().get(0));
            }
        }
        return System.nanoTime();
    }

    /**
     * The floor: {@code pollers} threads that receive up to ten messages with long polling (as Clearance's consumer
     * does), note each arrival in {@code receivedNanos[index]} and delete the batch, until {@code count} arrived or
     * the timeout passed. Returns how many arrived.
     */
    int drain(String queueUrl, int pollers, int count, ToIntFunction<String> index, long[] receivedNanos, Duration timeout)
            throws InterruptedException {
        java.util.concurrent.atomic.AtomicInteger arrived = new java.util.concurrent.atomic.AtomicInteger();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < pollers; p++) {
            Thread t = new Thread(() -> {
                while (arrived.get() < count && System.nanoTime() < deadline) {
                    List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                            .waitTimeSeconds(2)).messages();
                    long now = System.nanoTime();
                    List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
                    for (Message m : got) {
                        receivedNanos[index.applyAsInt(m.body())] = now;
                        done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(done.size()))
                                .receiptHandle(m.receiptHandle()).build());
                    }
                    if (!done.isEmpty()) {
                        sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(done));
                        arrived.addAndGet(done.size());
                    }
                }
            }, "floor-sqs-" + p);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return arrived.get();
    }

    @Override
    public void close() {
        sqs.close();
        server.stopAndWait();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
