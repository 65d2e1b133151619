package dev.speck.metrics;

import dev.speck.hit.HitKind;
import dev.speck.hit.NotRecorded;
import dev.speck.hit.Rejection;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Speck's counters in Prometheus form. The per-hit counters are resolved once per label value,
 * so counting a hit is one striped-adder increment and no map lookup.
 */
public final class SpeckMetrics {

    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Map<HitKind, CounterDataPoint> accepted = new EnumMap<>(HitKind.class);
    private final Map<Rejection, CounterDataPoint> rejected = new EnumMap<>(Rejection.class);
    private final Map<NotRecorded, CounterDataPoint> notRecorded = new EnumMap<>(NotRecorded.class);
    private final Counter retentionDeleted;
    private final Histogram storeWriteSeconds;
    private final Counter storedEvents;
    private final Counter loaderFailures;
    private final Counter corruptRecords;
    private final Counter fieldsDropped;

    public SpeckMetrics() {
        Counter acceptedCounter = Counter.builder().name("speck_hits_accepted_total")
                .help("Hits written to the journal and acknowledged, by kind").labelNames("kind").register(registry);
        for (HitKind kind : HitKind.values()) {
            accepted.put(kind, acceptedCounter.labelValues(kind.wireName()));
        }
        Counter rejectedCounter = Counter.builder().name("speck_hits_rejected_total")
                .help("Hits answered but not recorded, by reason").labelNames("reason").register(registry);
        for (Rejection reason : Rejection.values()) {
            rejected.put(reason, rejectedCounter.labelValues(reason.label()));
        }
        Counter notRecordedCounter = Counter.builder().name("speck_hits_not_recorded_total")
                .help("Hits answered but deliberately not recorded (opt-out, GPC, DNT, no consent, pixels off), by reason")
                .labelNames("reason").register(registry);
        for (NotRecorded reason : NotRecorded.values()) {
            notRecorded.put(reason, notRecordedCounter.labelValues(reason.label()));
        }
        fieldsDropped = Counter.builder().name("speck_hit_fields_dropped_total")
                .help("Optional fields dropped from hits that were kept (a bad time zone, a referrer that is no URL), by field and reason")
                .labelNames("field", "reason").register(registry);
        retentionDeleted = Counter.builder().name("speck_retention_deleted_rows_total")
                .help("Rows the retention job deleted (or raw IPs it cleared), by table").labelNames("table")
                .register(registry);
        for (String table : new String[]{"events", "goal_achievements", "visitor_days", "goal_visitor_days", "raw_ip"}) {
            retentionDeleted.labelValues(table); // shown as 0 before the first deletion
        }
        storeWriteSeconds = Histogram.builder().name("speck_store_write_seconds")
                .help("Time to store one batch of events with its journal positions")
                .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .register(registry);
        storedEvents = Counter.builder().name("speck_events_stored_total")
                .help("Events stored by the loader").register(registry);
        loaderFailures = Counter.builder().name("speck_store_failures_total")
                .help("Batches the store refused (they are retried, never dropped)").register(registry);
        corruptRecords = Counter.builder().name("speck_journal_corrupt_records_total")
                .help("Journal records skipped because their checksum or content was bad").register(registry);
    }

    public void accepted(HitKind kind) {
        accepted.get(kind).inc();
    }

    public void rejected(Rejection reason) {
        rejected.get(reason).inc();
    }

    public double rejectedCount(Rejection reason) {
        return rejected.get(reason).get();
    }

    /** An optional field left out of a hit that was kept; rare, so resolved per call. */
    public void fieldDropped(String field, String reason) {
        fieldsDropped.labelValues(field, reason).inc();
    }

    public void notRecorded(NotRecorded reason) {
        notRecorded.get(reason).inc();
    }

    public double notRecordedCount(NotRecorded reason) {
        return notRecorded.get(reason).get();
    }

    /** Rows of a table (events, goal_achievements, visitor_days, goal_visitor_days, raw_ip) retention removed. */
    public void retentionDeleted(String table, long rows) {
        if (rows > 0) {
            retentionDeleted.labelValues(table).inc(rows);
        }
    }

    public double acceptedCount(HitKind kind) {
        return accepted.get(kind).get();
    }

    public void stored(int events, double seconds) {
        storedEvents.inc(events);
        storeWriteSeconds.observe(seconds);
    }

    public void storeFailed() {
        loaderFailures.inc();
    }

    public void corruptRecords(int n) {
        corruptRecords.inc(n);
    }

    /** Registers a counter of its own, for parts outside the hit path (sign-ins, for instance). */
    public Counter counter(String name, String help, String... labelNames) {
        return Counter.builder().name(name).help(help).labelNames(labelNames).register(registry);
    }

    /** Registers a gauge read when /metrics is scraped. */
    public void gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help)
                .callback(cb -> cb.call(value.getAsDouble())).register(registry);
    }

    /** Registers a gauge with one label, read when /metrics is scraped: one sample per key of the map. */
    public void gauges(String name, String help, String labelName, Supplier<? extends Map<String, ? extends Number>> values) {
        GaugeWithCallback.builder().name(name).help(help).labelNames(labelName)
                .callback(cb -> values.get().forEach((label, value) -> cb.call(value.doubleValue(), label))).register(registry);
    }

    /** The Prometheus text exposition of every metric. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
