package dev.speck.privacy;

/**
 * The three request headers the consent decision reads before a hit is parsed: all it needs of a
 * request, so that the decision does not depend on HTTP.
 *
 * @param cookies              the Cookie header (Speck's opt-out cookie may be among them)
 * @param globalPrivacyControl the Sec-GPC header
 * @param doNotTrack           the DNT header
 */
public record PrivacyRequest(String cookies, String globalPrivacyControl, String doNotTrack) {
}
