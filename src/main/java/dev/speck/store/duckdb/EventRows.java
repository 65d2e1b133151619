package dev.speck.store.duckdb;

import dev.speck.hit.Hit;
import dev.speck.enrich.Device;
import dev.speck.enrich.Event;
import dev.speck.enrich.GeoLocation;
import dev.speck.enrich.TrafficSource;
import dev.speck.goals.Achievement;
import org.duckdb.DuckDBAppender;

import java.sql.SQLException;
import java.util.List;

/**
 * An event as one appender row of the events table (its columns in the table's order), and its
 * goal achievements as rows of goal_achievements.
 */
final class EventRows {

    private EventRows() {
    }

    /** Same transaction as the events: a replayed batch can neither lose nor double an achievement. */
    static void appendAchievements(DuckDBAppender a, List<Event> events, List<Achievement> achievements,
                                           long firstSeq) throws SQLException {
        for (Achievement g : achievements) {
            Event event = events.get(g.eventIndex());
            a.beginRow();
            a.append(firstSeq + g.eventIndex());
            a.appendEpochMicros(event.hit().receivedAt() * 1000);
            a.append(event.hit().pixel());
            a.append(g.goalId());
            a.append(g.goalVersion());
            a.append(event.visitorId());
            a.append(money(g.value()));
            a.append(g.currency());
            a.endRow();
        }
    }

    /** A value for a DECIMAL(18,4) column: the appender wants the column's own scale. */
    static java.math.BigDecimal money(java.math.BigDecimal v) {
        return v == null ? null : v.setScale(MoneyColumns.SCALE, java.math.RoundingMode.HALF_EVEN);
    }

    static void appendRow(DuckDBAppender a, long seq, Event event) throws SQLException {
        Hit hit = event.hit();
        GeoLocation geo = event.geo() == null ? GeoLocation.UNKNOWN : event.geo();
        Device device = event.device() == null ? Device.UNKNOWN : event.device();
        TrafficSource source = event.source() == null ? TrafficSource.DIRECT : event.source();
        UrlParts url = UrlParts.of(hit.page().url());
        a.beginRow();
        a.append(seq);
        a.appendEpochMicros(hit.receivedAt() * 1000);
        a.append(hit.pixel());
        a.append(hit.kind().wireName());
        a.append(hit.name());
        a.append(hit.page().url());
        a.append(url.host());
        a.append(url.path());
        a.append(hit.page().title());
        a.append(hit.page().referrer());
        a.append(source.channel());
        a.append(source.source());
        a.append(source.term());
        a.append(source.utmSource());
        a.append(source.utmMedium());
        a.append(source.utmCampaign());
        a.append(source.utmTerm());
        a.append(source.utmContent());
        a.append(source.clickIdType());
        a.append(source.clickId());
        a.append(event.visitorId());
        a.append(event.ipPrefix());
        a.append(geo.country());
        a.append(geo.region());
        a.append(geo.city());
        a.append(geo.latitude());
        a.append(geo.longitude());
        a.append(geo.timeZone());
        a.append(geo.database());
        a.append(hit.client().timeZone());
        a.append(event.timeZone());
        a.append(device.deviceClass());
        a.append(device.deviceBrand());
        a.append(device.browser());
        a.append(device.browserVersion());
        a.append(device.os());
        a.append(device.osVersion());
        a.append(device.bot());
        a.append(hit.client().language());
        a.append(hit.client().screen());
        a.append(money(hit.value().amount()));
        a.append(hit.value().currency());
        a.append(hit.email().campaign());
        a.append(hit.email().recipient());
        a.append(hit.link().code());
        if (hit.props() == null || hit.props().isEmpty()) {
            a.appendNull(); // an empty MAP costs the appender several native calls; NULL reads the same (props['k'] is NULL)
        } else {
            a.append(hit.props());
        }
        a.append(event.localHour() == null ? null : Byte.valueOf(event.localHour().byteValue()));
        a.append(event.rawIp());
        a.append(event.quality().verdict().wireName());
        a.append(event.quality().reasonText());
        a.append(event.userAgent());
        a.endRow();
    }
}
