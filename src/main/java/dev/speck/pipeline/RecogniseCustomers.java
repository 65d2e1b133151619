package dev.speck.pipeline;

import dev.speck.customers.Recognition;

/**
 * Links the visitors whose hits claim an identity (a signed landing token, an identify call) to
 * their customers, before the chunk is stored. {@link Recognition#recognise} never throws.
 */
final class RecogniseCustomers implements Stage {

    private final Recognition recognition;

    RecogniseCustomers(Recognition recognition) {
        this.recognition = recognition;
    }

    @Override
    public Chunk apply(Chunk chunk) {
        recognition.recognise(chunk.events());
        return chunk;
    }
}
