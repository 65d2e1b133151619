package dev.speck.enrich;

/** Browser, operating system and device class of a hit, as the user-agent analyzer sees them. */
public record Device(
        String deviceClass,
        String deviceBrand,
        String browser,
        String browserVersion,
        String os,
        String osVersion,
        boolean bot) {

    public static final Device UNKNOWN = new Device("Unknown", null, null, null, null, null, false);
}
