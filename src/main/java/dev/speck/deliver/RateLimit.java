package dev.speck.deliver;

/** A token bucket: at most {@code perSecond} attempts a second over all targets, with a burst of as many. */
final class RateLimit {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    RateLimit(int perSecond, long nowNanos) {
        this.perNano = perSecond / 1e9;
        this.burst = perSecond;
        this.tokens = perSecond;
        this.last = nowNanos;
    }

    /** Takes a token if there is one. */
    synchronized boolean tryTake(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - last) * perNano);
        last = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Nanoseconds until the next token. */
    synchronized long waitNanos() {
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano);
    }
}
