package dev.speck.deliver;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads an answer's first bytes, enough for {@link Attempt#EXCERPT_CHARS} characters, and stops:
 * a receiver's large or endless answer costs neither memory nor the attempt's time.
 */
final class ExcerptSubscriber implements HttpResponse.BodySubscriber<String> {

    private static final int MAX_BYTES = Attempt.EXCERPT_CHARS * 4;

    private final CompletableFuture<String> result = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    @Override
    public CompletionStage<String> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        for (ByteBuffer b : items) {
            int n = Math.min(b.remaining(), MAX_BYTES - bytes.size());
            byte[] a = new byte[n];
            b.get(a);
            bytes.write(a, 0, n);
        }
        if (bytes.size() >= MAX_BYTES) {
            subscription.cancel();
            finish();
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        finish();
    }

    private void finish() {
        String s = new String(bytes.toByteArray(), StandardCharsets.UTF_8);
        result.complete(s.length() > Attempt.EXCERPT_CHARS ? s.substring(0, Attempt.EXCERPT_CHARS) : s);
    }
}
