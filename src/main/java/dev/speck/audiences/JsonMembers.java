package dev.speck.audiences;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;

import java.io.IOException;
import java.io.Writer;

/**
 * The plain member list as a JSON array of objects, written as it goes (Jackson's streaming generator):
 * every member, every field, null where Speck knows nothing.
 */
final class JsonMembers implements MemberWriter {

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private final JsonGenerator json;
    private final Tally tally;

    JsonMembers(Writer out, Tally tally) throws IOException {
        this.json = JSON.createGenerator(out);
        this.tally = tally;
    }

    @Override
    public void begin() throws IOException {
        json.writeStartArray();
    }

    @Override
    public void write(AudienceMember m) throws IOException {
        json.writeStartObject();
        json.writeStringField("customerId", m.customerId());
        json.writeStringField("externalId", m.externalId());
        json.writeStringField("email", m.email());
        json.writeStringField("phone", m.phone());
        json.writeStringField("firstName", m.firstName());
        json.writeStringField("lastName", m.lastName());
        json.writeStringField("country", m.country());
        json.writeStringField("zip", m.zip());
        json.writeStringField("enteredAt", m.enteredAt() == null ? null : m.enteredAt().toString());
        json.writeArrayFieldStart("visitorIds");
        for (String v : m.visitorIds()) {
            json.writeString(v);
        }
        json.writeEndArray();
        json.writeEndObject();
        tally.written++;
    }

    @Override
    public void end() throws IOException {
        json.writeEndArray();
        json.flush();
    }
}
