package dev.speck.audiences;

/**
 * What an export did, for the API to report next to the file.
 *
 * @param written       members written as rows
 * @param skipped       members left out: in the hashed formats, those with nothing the platform matches on
 *                      (no usable email or phone; for LinkedIn, no usable email)
 * @param phonesLeftOut members whose phone number could not be read as a valid number, so their row (if
 *                      any) went without it; counted only by formats that hash phones
 */
public record ExportCounts(long written, long skipped, long phonesLeftOut) {
}
