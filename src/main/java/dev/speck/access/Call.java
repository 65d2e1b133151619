package dev.speck.access;

import dev.speck.audit.Requester;
import dev.speck.http.Exchange;

import java.util.Map;

/**
 * A request a route answers, after the guard: the exchange, who made it, and the path's named
 * segments ({@code {pixel}}, {@code {link}}, {@code {name}}...).
 */
public record Call(Exchange exchange, Actor actor, Map<String, String> params) {

    /** A named segment of the path (its name in the route's pattern, without braces), still percent-encoded. */
    public String param(String name) {
        return params.get(name);
    }

    /** The first value of a query parameter, or null. */
    public String query(String name) {
        return exchange.param(name);
    }

    /** Who made this request, as the domain (audit, erasure) is told. */
    public Requester requester() {
        return new Requester(actor.kind(), actor.name(), exchange.clientAddress());
    }

    /** The same call made by another actor (who just signed in). */
    Call as(Actor other) {
        return new Call(exchange, other, params);
    }
}
