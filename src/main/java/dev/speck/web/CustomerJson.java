package dev.speck.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speck.customers.Customer;
import dev.speck.customers.CustomerDraft;
import dev.speck.http.ApiJson;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A customer in the API: read from a JSON object (upserts) and described back. */
final class CustomerJson {

    private CustomerJson() {
    }

    /** Throws IllegalArgumentException, with what is wrong, for a customer that is not valid. */
    static CustomerDraft draft(JsonNode n) {
        if (!n.isObject()) {
            throw new IllegalArgumentException("a customer must be a JSON object");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of("externalId", "email", "name", "attributes", "aliases").contains(f)) {
                throw new IllegalArgumentException("unknown field '" + ApiJson.truncate(f)
                        + "'; fields are externalId, email, name, attributes, aliases");
            }
        }
        Map<String, String> attributes = null;
        JsonNode a = n.get("attributes");
        if (a != null && !a.isNull()) {
            if (!a.isObject()) {
                throw new IllegalArgumentException("attributes must be an object of strings, numbers or booleans");
            }
            if (a.size() > CustomerDraft.MAX_ATTRIBUTES) {
                throw new IllegalArgumentException("at most " + CustomerDraft.MAX_ATTRIBUTES + " attributes");
            }
            attributes = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isValueNode()) {
                    throw new IllegalArgumentException("attribute " + ApiJson.truncate(e.getKey()) + " must be a string, number or boolean");
                }
                attributes.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
            }
        }
        List<String> aliases = null;
        JsonNode al = n.get("aliases");
        if (al != null && !al.isNull()) {
            if (!al.isArray() || al.size() > CustomerDraft.MAX_ALIASES) {
                throw new IllegalArgumentException("aliases must be an array of at most " + CustomerDraft.MAX_ALIASES + " strings");
            }
            aliases = new ArrayList<>();
            for (JsonNode x : al) {
                if (!x.isTextual()) {
                    throw new IllegalArgumentException("aliases must be strings");
                }
                aliases.add(x.asText());
            }
        }
        return new CustomerDraft(field(n, "externalId"), field(n, "email"), field(n, "name"), attributes, aliases);
    }

    private static String field(JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() && !v.isNumber()) {
            throw new IllegalArgumentException(name + " must be a string");
        }
        return v.asText();
    }

    static Map<String, Object> describe(Customer k) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", k.id());
        out.put("externalId", k.externalId());
        out.put("email", k.email());
        out.put("name", k.name());
        out.put("attributes", k.attributes());
        out.put("aliases", k.aliases());
        out.put("created", k.created().toString());
        out.put("updated", k.updated().toString());
        return out;
    }
}
