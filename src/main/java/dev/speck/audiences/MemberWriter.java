package dev.speck.audiences;

import java.io.IOException;

/** Writes one export, a member at a time: nothing of a member is kept once its row is written. */
interface MemberWriter {

    void begin() throws IOException;

    void write(AudienceMember member) throws IOException;

    void end() throws IOException;
}
