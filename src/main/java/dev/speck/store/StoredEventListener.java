package dev.speck.store;

import dev.speck.enrich.Event;

import java.util.List;

/** Told of events once they are stored: the console's live view. */
public interface StoredEventListener {

    StoredEventListener NONE = new StoredEventListener() {
        @Override
        public boolean wants(String pixel) {
            return false;
        }

        @Override
        public void stored(List<Event> events) {
        }
    };

    /**
     * Whether events of this pixel are wanted now. Only those are held until their transaction
     * commits; the loader lets every other event go as soon as the store has it.
     */
    boolean wants(String pixel);

    /** Called by the loader after each commit with the wanted events it stored; must not block. */
    void stored(List<Event> events);
}
