package dev.speck.triggers;

import java.util.List;

/**
 * Where firings go to be delivered: the durable outbox. Enqueueing the same key twice keeps one
 * delivery. Called on the loader's thread before the batch commits; throwing rolls the batch back,
 * and it is read again (with the same keys).
 */
public interface ActionSink {

    void enqueue(List<Firing> firings);
}
