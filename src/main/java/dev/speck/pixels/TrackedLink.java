package dev.speck.pixels;

import java.time.Instant;

/** A short link that Speck issued: a click on it is recorded, then redirected to its destination. */
public record TrackedLink(String code, String pixel, String destination, String campaign, Instant created) {
}
